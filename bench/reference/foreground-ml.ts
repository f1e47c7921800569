// Frozen copy of src/engine/matting/foreground/foreground-ml.ts before the speed-up: the reference that
// bench/foreground-trimap.ts and the unit tests compare the optimised version against.
import type { Alpha, RgbImage } from '../../src/engine/imaging/raster';
import { assertImage, assertPlane } from '../../src/engine/matting/validate';

export interface ForegroundOptions {
  regularization: number;
  /** Gauss-Seidel sweeps on levels up to smallSize px, and on the larger ones. */
  smallIterations: number;
  bigIterations: number;
  smallSize: number;
  gradientWeight: number;
}

export const foregroundDefaults: ForegroundOptions = {
  regularization: 1e-5,
  smallIterations: 10,
  bigIterations: 2,
  smallSize: 32,
  gradientWeight: 1,
};

function resizeNearest(src: Float32Array, sw: number, sh: number, channels: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    const y0 = Math.min(sh - 1, Math.floor((y * sh) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.min(sw - 1, Math.floor((x * sw) / w));
      for (let c = 0; c < channels; c++) out[(y * w + x) * channels + c] = src[(y0 * sw + x0) * channels + c];
    }
  }
  return out;
}

/**
 * Foreground colours for a matte by the multilevel method of Germer, Uelwer, Conrad, Harmeling
 * (2020): minimise the compositing error with a smoothness term weighted by the alpha gradient,
 * coarse to fine, so F is defined (and free of the old background) wherever alpha > 0.
 * Returns straight (not premultiplied) RGB bytes.
 */
export function estimateForeground(image: RgbImage, alpha: Alpha, options: Partial<ForegroundOptions> = {}): Uint8Array {
  assertImage(image);
  assertPlane(alpha, image.width, image.height, 'Alpha');
  const opts = { ...foregroundDefaults, ...options };
  const { width: w0, height: h0, data } = image;
  const n0 = w0 * h0;
  const input = new Float32Array(n0 * 3);
  let mean0 = 0;
  let mean1 = 0;
  let mean2 = 0;
  for (let i = 0; i < n0; i++) {
    input[3 * i] = data[3 * i] / 255;
    input[3 * i + 1] = data[3 * i + 1] / 255;
    input[3 * i + 2] = data[3 * i + 2] / 255;
    mean0 += input[3 * i];
    mean1 += input[3 * i + 1];
    mean2 += input[3 * i + 2];
  }
  const cleanAlpha = new Float32Array(n0);
  for (let i = 0; i < n0; i++) {
    const a = alpha[i];
    cleanAlpha[i] = a !== a ? 0 : a < 0 ? 0 : a > 1 ? 1 : a;
  }
  let F: Float32Array = Float32Array.of(mean0 / n0, mean1 / n0, mean2 / n0);
  let B: Float32Array = Float32Array.from(F);
  let pw = 1;
  let ph = 1;
  const levels = Math.ceil(Math.log2(Math.max(w0, h0)));
  const dx = [-1, 1, 0, 0];
  const dy = [0, 0, -1, 1];
  for (let level = 0; level <= levels; level++) {
    const w = levels === 0 ? w0 : Math.round(w0 ** (level / levels));
    const h = levels === 0 ? h0 : Math.round(h0 ** (level / levels));
    const img = w === w0 && h === h0 ? input : resizeNearest(input, w0, h0, 3, w, h);
    const a = w === w0 && h === h0 ? cleanAlpha : resizeNearest(cleanAlpha, w0, h0, 1, w, h);
    F = resizeNearest(F, pw, ph, 3, w, h);
    B = resizeNearest(B, pw, ph, 3, w, h);
    pw = w;
    ph = h;
    const iterations = w <= opts.smallSize && h <= opts.smallSize ? opts.smallIterations : opts.bigIterations;
    for (let it = 0; it < iterations; it++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = y * w + x;
          const a0 = a[i];
          const a1 = 1 - a0;
          let a00 = a0 * a0;
          const a01 = a0 * a1;
          let a11 = a1 * a1;
          let f0 = a0 * img[3 * i];
          let f1 = a0 * img[3 * i + 1];
          let f2 = a0 * img[3 * i + 2];
          let b0 = a1 * img[3 * i];
          let b1 = a1 * img[3 * i + 1];
          let b2 = a1 * img[3 * i + 2];
          for (let d = 0; d < 4; d++) {
            const x2 = Math.max(0, Math.min(w - 1, x + dx[d]));
            const y2 = Math.max(0, Math.min(h - 1, y + dy[d]));
            const j = y2 * w + x2;
            const da = opts.regularization + opts.gradientWeight * Math.abs(a0 - a[j]);
            a00 += da;
            a11 += da;
            f0 += da * F[3 * j];
            f1 += da * F[3 * j + 1];
            f2 += da * F[3 * j + 2];
            b0 += da * B[3 * j];
            b1 += da * B[3 * j + 1];
            b2 += da * B[3 * j + 2];
          }
          const inv = 1 / (a00 * a11 - a01 * a01);
          const m00 = inv * a11;
          const m01 = -inv * a01;
          const m11 = inv * a00;
          F[3 * i] = clamp01(m00 * f0 + m01 * b0);
          F[3 * i + 1] = clamp01(m00 * f1 + m01 * b1);
          F[3 * i + 2] = clamp01(m00 * f2 + m01 * b2);
          B[3 * i] = clamp01(m01 * f0 + m11 * b0);
          B[3 * i + 1] = clamp01(m01 * f1 + m11 * b1);
          B[3 * i + 2] = clamp01(m01 * f2 + m11 * b2);
        }
      }
    }
  }
  const out = new Uint8Array(n0 * 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(F[i] * 255);
  return out;
}

function clamp01(v: number): number {
  return v > 0 ? (v < 1 ? v : 1) : 0; // NaN -> 0
}
