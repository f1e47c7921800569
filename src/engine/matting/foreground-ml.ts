import type { Alpha, RgbImage } from '../imaging/raster';
import { assertImage, assertPlane } from './validate';

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

/** Source index of each destination index for a nearest-neighbour resize from n to m. */
function nearestMap(n: number, m: number): Int32Array {
  const map = new Int32Array(m);
  for (let x = 0; x < m; x++) map[x] = Math.min(n - 1, Math.floor((x * n) / m));
  return map;
}

function resizeNearestInto(
  src: Float32Array,
  sw: number,
  sh: number,
  channels: 1 | 3,
  out: Float32Array,
  w: number,
  h: number,
): void {
  const xs = nearestMap(sw, w);
  const ys = nearestMap(sh, h);
  let o = 0;
  for (let y = 0; y < h; y++) {
    const row = ys[y] * sw;
    if (channels === 1) {
      for (let x = 0; x < w; x++) out[o++] = src[row + xs[x]];
    } else {
      for (let x = 0; x < w; x++) {
        const s = 3 * (row + xs[x]);
        out[o] = src[s];
        out[o + 1] = src[s + 1];
        out[o + 2] = src[s + 2];
        o += 3;
      }
    }
  }
}

interface Level {
  w: number;
  h: number;
  iterations: number;
}

function levelSizes(w0: number, h0: number, opts: ForegroundOptions): Level[] {
  const levels = Math.ceil(Math.log2(Math.max(w0, h0)));
  const out: Level[] = [];
  for (let level = 0; level <= levels; level++) {
    const w = levels === 0 ? w0 : Math.round(w0 ** (level / levels));
    const h = levels === 0 ? h0 : Math.round(h0 ** (level / levels));
    const iterations = w <= opts.smallSize && h <= opts.smallSize ? opts.smallIterations : opts.bigIterations;
    out.push({ w, h, iterations });
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
  const unit = new Float32Array(256);
  for (let v = 0; v < 256; v++) unit[v] = v / 255;
  for (let i = 0; i < 3 * n0; i += 3) {
    const v0 = unit[data[i]];
    const v1 = unit[data[i + 1]];
    const v2 = unit[data[i + 2]];
    input[i] = v0;
    input[i + 1] = v1;
    input[i + 2] = v2;
    mean0 += v0;
    mean1 += v1;
    mean2 += v2;
  }
  const cleanAlpha = new Float32Array(n0);
  for (let i = 0; i < n0; i++) {
    const a = alpha[i];
    cleanAlpha[i] = a !== a ? 0 : a < 0 ? 0 : a > 1 ? 1 : a;
  }
  const levels = levelSizes(w0, h0, opts);
  // Two F/B buffer pairs used alternately (each level reads the previous one's), sized so the
  // finest level lands in the larger pair; plus one image/alpha buffer for the resized levels.
  let big = 1;
  let small = 1;
  let scaled = 0;
  levels.forEach(({ w, h }, k) => {
    if ((levels.length - 1 - k) % 2 === 0) big = Math.max(big, w * h);
    else small = Math.max(small, w * h);
    if (w !== w0 || h !== h0) scaled = Math.max(scaled, w * h);
  });
  const fBuf = [new Float32Array(3 * big), new Float32Array(3 * small)];
  const bBuf = [new Float32Array(3 * big), new Float32Array(3 * small)];
  const imgBuf = new Float32Array(3 * scaled);
  const alphaBuf = new Float32Array(scaled);
  // At most one run per two interior pixels of a row, plus one per row.
  const runs = new Int32Array(n0 + 2 * h0 + 2);
  const rowRuns = new Int32Array(h0 + 1);
  let F = Float32Array.of(mean0 / n0, mean1 / n0, mean2 / n0);
  let B = Float32Array.from(F);
  let pw = 1;
  let ph = 1;
  levels.forEach(({ w, h, iterations }, k) => {
    const full = w === w0 && h === h0;
    const img = full ? input : imgBuf.subarray(0, 3 * w * h);
    const a = full ? cleanAlpha : alphaBuf.subarray(0, w * h);
    if (!full) {
      resizeNearestInto(input, w0, h0, 3, img, w, h);
      resizeNearestInto(cleanAlpha, w0, h0, 1, a, w, h);
    }
    const slot = (levels.length - 1 - k) % 2;
    const nextF = fBuf[slot].subarray(0, 3 * w * h);
    const nextB = bBuf[slot].subarray(0, 3 * w * h);
    resizeNearestInto(F, pw, ph, 3, nextF, w, h);
    resizeNearestInto(B, pw, ph, 3, nextB, w, h);
    F = nextF;
    B = nextB;
    pw = w;
    ph = h;
    // Only on the finest level: skipping on the next coarser one too moved F by up to 6 levels.
    activeRuns(F, B, img, a, w, h, k === levels.length - 1, runs, rowRuns);
    for (let it = 0; it < iterations; it++) sweep(F, B, img, a, w, h, opts.regularization, opts.gradientWeight, runs, rowRuns);
  });
  const out = new Uint8Array(n0 * 3);
  // F is in [0, 1], where Math.round(x) is floor(x + 0.5).
  for (let i = 0; i < out.length; i++) out[i] = (F[i] * 255 + 0.5) | 0;
  return out;
}

/**
 * Pixels of the level that the sweeps update, as [start, end) index ranges per interior row
 * (rowRuns[y]..rowRuns[y + 1] in runs). With skipKnown, a pixel whose alpha is exactly 0 or 1 like
 * its four neighbours is left out: at alpha 1 the update gives F = (I + 4e-5 mean F) / (1 + 4e-5),
 * I to within 4e-5, so F is set to I once; at alpha 0 the same holds for B. The other layer there
 * (B under opaque, F under transparent pixels) keeps the coarser level's values instead of being
 * smoothed further, which moves F on the soft pixels next to it by at most a level or two in 8 bits
 * (measured in test/unit/matting/foreground-reference.test.ts).
 */
function activeRuns(F: Float32Array, B: Float32Array, img: Float32Array, a: Float32Array, w: number, h: number, skipKnown: boolean, runs: Int32Array, rowRuns: Int32Array): void {
  let r = 0;
  for (let y = 0; y < h; y++) {
    rowRuns[y] = r;
    if (y === 0 || y === h - 1 || w < 3) continue;
    const end = y * w + w - 1;
    if (!skipKnown) {
      runs[r++] = y * w + 1;
      runs[r++] = end;
      continue;
    }
    let open = -1;
    for (let i = y * w + 1; i < end; i++) {
      const a0 = a[i];
      const known = (a0 === 1 || a0 === 0) && a[i - 1] === a0 && a[i + 1] === a0 && a[i - w] === a0 && a[i + w] === a0;
      if (known) {
        const p = 3 * i;
        const T = a0 === 1 ? F : B;
        T[p] = img[p];
        T[p + 1] = img[p + 1];
        T[p + 2] = img[p + 2];
        if (open >= 0) {
          runs[r++] = open;
          runs[r++] = i;
          open = -1;
        }
      } else if (open < 0) open = i;
    }
    if (open >= 0) {
      runs[r++] = open;
      runs[r++] = end;
    }
  }
  rowRuns[h] = r;
}

/**
 * One Gauss-Seidel sweep in scan order: the border pixels through updateClamped (a neighbour
 * outside is the pixel itself), the active interior ones through updateRange. Both evaluate the
 * reference's sums in the same order, so the result does not depend on the path.
 */
function sweep(F: Float32Array, B: Float32Array, img: Float32Array, a: Float32Array, w: number, h: number, reg: number, gw: number, runs: Int32Array, rowRuns: Int32Array): void {
  for (let y = 0; y < h; y++) {
    if (y === 0 || y === h - 1 || w < 3) {
      for (let x = 0; x < w; x++) updateClamped(F, B, img, a, w, h, x, y, reg, gw);
      continue;
    }
    updateClamped(F, B, img, a, w, h, 0, y, reg, gw);
    for (let r = rowRuns[y]; r < rowRuns[y + 1]; r += 2) updateRange(F, B, img, a, w, runs[r], runs[r + 1], reg, gw);
    updateClamped(F, B, img, a, w, h, w - 1, y, reg, gw);
  }
}

/** Interior pixels start..end-1 of one row; the right weight of a pixel is the next one's left. */
function updateRange(F: Float32Array, B: Float32Array, img: Float32Array, a: Float32Array, w: number, start: number, end: number, reg: number, gw: number): void {
  let dl = reg + gw * Math.abs(a[start] - a[start - 1]);
  for (let i = start; i < end; i++) {
    const a0 = a[i];
    const a1 = 1 - a0;
    const dr = reg + gw * Math.abs(a0 - a[i + 1]);
    const du = reg + gw * Math.abs(a0 - a[i - w]);
    const dd = reg + gw * Math.abs(a0 - a[i + w]);
    const a00 = a0 * a0 + dl + dr + du + dd;
    const a01 = a0 * a1;
    const a11 = a1 * a1 + dl + dr + du + dd;
    const p = 3 * i;
    const l = p - 3;
    const r = p + 3;
    const u = p - 3 * w;
    const d = p + 3 * w;
    const i0 = img[p];
    const i1 = img[p + 1];
    const i2 = img[p + 2];
    const f0 = a0 * i0 + dl * F[l] + dr * F[r] + du * F[u] + dd * F[d];
    const f1 = a0 * i1 + dl * F[l + 1] + dr * F[r + 1] + du * F[u + 1] + dd * F[d + 1];
    const f2 = a0 * i2 + dl * F[l + 2] + dr * F[r + 2] + du * F[u + 2] + dd * F[d + 2];
    const b0 = a1 * i0 + dl * B[l] + dr * B[r] + du * B[u] + dd * B[d];
    const b1 = a1 * i1 + dl * B[l + 1] + dr * B[r + 1] + du * B[u + 1] + dd * B[d + 1];
    const b2 = a1 * i2 + dl * B[l + 2] + dr * B[r + 2] + du * B[u + 2] + dd * B[d + 2];
    const inv = 1 / (a00 * a11 - a01 * a01);
    const m00 = inv * a11;
    const m01 = -inv * a01;
    const m11 = inv * a00;
    F[p] = clamp01(m00 * f0 + m01 * b0);
    F[p + 1] = clamp01(m00 * f1 + m01 * b1);
    F[p + 2] = clamp01(m00 * f2 + m01 * b2);
    B[p] = clamp01(m01 * f0 + m11 * b0);
    B[p + 1] = clamp01(m01 * f1 + m11 * b1);
    B[p + 2] = clamp01(m01 * f2 + m11 * b2);
    dl = dr;
  }
}

const DX = [-1, 1, 0, 0];
const DY = [0, 0, -1, 1];

function updateClamped(
  F: Float32Array,
  B: Float32Array,
  img: Float32Array,
  a: Float32Array,
  w: number,
  h: number,
  x: number,
  y: number,
  reg: number,
  gw: number,
): void {
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
    const x2 = Math.max(0, Math.min(w - 1, x + DX[d]));
    const y2 = Math.max(0, Math.min(h - 1, y + DY[d]));
    const j = y2 * w + x2;
    const da = reg + gw * Math.abs(a0 - a[j]);
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

function clamp01(v: number): number {
  return v > 0 ? (v < 1 ? v : 1) : 0; // NaN -> 0
}
