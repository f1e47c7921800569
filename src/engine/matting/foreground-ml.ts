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

/** Nearest-neighbour resize of the RGB bytes and the alpha plane to one level. */
function resizeLevel(data: Uint8Array, alpha: Float32Array, sw: number, sh: number, img: Uint8Array, a: Float32Array, w: number, h: number): void {
  const xs = nearestMap(sw, w);
  const ys = nearestMap(sh, h);
  let o = 0;
  for (let y = 0; y < h; y++) {
    const row = ys[y] * sw;
    for (let x = 0; x < w; x++, o++) {
      const s = row + xs[x];
      a[o] = alpha[s];
      img[3 * o] = data[3 * s];
      img[3 * o + 1] = data[3 * s + 1];
      img[3 * o + 2] = data[3 * s + 2];
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

/** 8-bit value to 0..1 as Float32, as the reference's Float32Array(data / 255) holds it. */
const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** alpha itself when it is already in [0, 1] with no NaN, else a clamped copy (NaN -> 0). */
function cleanAlpha(alpha: Float32Array): Float32Array {
  let clean = true;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i];
    if (!(a >= 0 && a <= 1)) {
      clean = false;
      break;
    }
  }
  if (clean) return alpha;
  const out = new Float32Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i];
    out[i] = a !== a ? 0 : a < 0 ? 0 : a > 1 ? 1 : a;
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
  let mean0 = 0;
  let mean1 = 0;
  let mean2 = 0;
  for (let i = 0; i < 3 * n0; i += 3) {
    mean0 += UNIT[data[i]];
    mean1 += UNIT[data[i + 1]];
    mean2 += UNIT[data[i + 2]];
  }
  const alpha0 = cleanAlpha(alpha);
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
  const imgBuf = new Uint8Array(3 * scaled);
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
    const img = full ? data : imgBuf.subarray(0, 3 * w * h);
    const a = full ? alpha0 : alphaBuf.subarray(0, w * h);
    if (!full) resizeLevel(data, alpha0, w0, h0, img, a, w, h);
    const slot = (levels.length - 1 - k) % 2;
    const nextF = fBuf[slot].subarray(0, 3 * w * h);
    const nextB = bBuf[slot].subarray(0, 3 * w * h);
    // Only on the finest level: skipping on the next coarser one too moved F by up to 6 levels.
    prepareLevel(F, B, pw, ph, nextF, nextB, img, a, w, h, k === levels.length - 1, runs, rowRuns);
    F = nextF;
    B = nextB;
    pw = w;
    ph = h;
    for (let it = 0; it < iterations; it++) sweep(F, B, img, a, w, h, opts.regularization, opts.gradientWeight, runs, rowRuns);
  });
  const out = new Uint8Array(n0 * 3);
  // F is in [0, 1], where Math.round(x) is floor(x + 0.5).
  for (let i = 0; i < out.length; i++) out[i] = (F[i] * 255 + 0.5) | 0;
  return out;
}

/**
 * Carries F and B up from the coarser level (nearest neighbour) and lists the pixels the sweeps
 * update, as [start, end) index ranges per interior row (rowRuns[y]..rowRuns[y + 1] in runs).
 * With skipKnown, a pixel whose alpha is exactly 0 or 1 like its four neighbours is left out: at
 * alpha 1 the update gives F = (I + 4e-5 mean F) / (1 + 4e-5), I to within 4e-5, so F is set to I
 * here; at alpha 0 the same holds for B. The other layer there (B under opaque, F under
 * transparent pixels) keeps the coarser level's values instead of being smoothed further, which
 * moves F on the soft pixels next to it by at most a level in 8 bits (measured in
 * test/unit/matting/foreground-reference.test.ts). Under alpha 0, where the colour is invisible,
 * F is the coarser level's extrapolation and differs from the fully smoothed one (up to ~60 levels).
 */
function prepareLevel(
  prevF: Float32Array,
  prevB: Float32Array,
  pw: number,
  ph: number,
  F: Float32Array,
  B: Float32Array,
  img: Uint8Array,
  a: Float32Array,
  w: number,
  h: number,
  skipKnown: boolean,
  runs: Int32Array,
  rowRuns: Int32Array,
): void {
  const xs = nearestMap(pw, w);
  const ys = nearestMap(ph, h);
  let r = 0;
  for (let y = 0; y < h; y++) {
    rowRuns[y] = r;
    const src = ys[y] * pw;
    const interiorRow = y > 0 && y < h - 1 && w >= 3;
    let open = -1;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const p = 3 * i;
      const s = 3 * (src + xs[x]);
      const interior = interiorRow && x > 0 && x < w - 1;
      const a0 = a[i];
      F[p] = prevF[s];
      F[p + 1] = prevF[s + 1];
      F[p + 2] = prevF[s + 2];
      B[p] = prevB[s];
      B[p + 1] = prevB[s + 1];
      B[p + 2] = prevB[s + 2];
      if (skipKnown && interior && (a0 === 1 || a0 === 0) && a[i - 1] === a0 && a[i + 1] === a0 && a[i - w] === a0 && a[i + w] === a0) {
        const known = a0 === 1 ? F : B;
        known[p] = UNIT[img[p]];
        known[p + 1] = UNIT[img[p + 1]];
        known[p + 2] = UNIT[img[p + 2]];
        if (open >= 0) {
          runs[r++] = open;
          runs[r++] = i;
          open = -1;
        }
      } else if (interior && open < 0) open = i;
    }
    if (open >= 0) {
      runs[r++] = open;
      runs[r++] = y * w + w - 1;
    }
  }
  rowRuns[h] = r;
}

/**
 * One Gauss-Seidel sweep in scan order: the border pixels through updateClamped (a neighbour
 * outside is the pixel itself), the active interior ones through updateRange. Both evaluate the
 * reference's sums in the same order, so the result does not depend on the path.
 */
function sweep(F: Float32Array, B: Float32Array, img: Uint8Array, a: Float32Array, w: number, h: number, reg: number, gw: number, runs: Int32Array, rowRuns: Int32Array): void {
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
function updateRange(F: Float32Array, B: Float32Array, img: Uint8Array, a: Float32Array, w: number, start: number, end: number, reg: number, gw: number): void {
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
    const i0 = UNIT[img[p]];
    const i1 = UNIT[img[p + 1]];
    const i2 = UNIT[img[p + 2]];
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
  img: Uint8Array,
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
  let f0 = a0 * UNIT[img[3 * i]];
  let f1 = a0 * UNIT[img[3 * i + 1]];
  let f2 = a0 * UNIT[img[3 * i + 2]];
  let b0 = a1 * UNIT[img[3 * i]];
  let b1 = a1 * UNIT[img[3 * i + 1]];
  let b2 = a1 * UNIT[img[3 * i + 2]];
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
