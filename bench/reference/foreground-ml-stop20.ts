// Frozen copy of src/engine/matting/foreground/foreground-ml.ts at stop 20 (after deba58f), before the
// stop-21 speed-up: bench/foreground-photos.ts times the current version against it in the same run.
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
  const last = levels.length - 1;
  const buf = scratchFor(levels, w0, h0);
  let F: Float32Array = Float32Array.of(mean0 / n0, mean1 / n0, mean2 / n0);
  let B: Float32Array = Float32Array.from(F);
  let pw = 1;
  let ph = 1;
  let out: Uint8Array | undefined;
  levels.forEach(({ w, h, iterations }, k) => {
    const full = w === w0 && h === h0;
    const img = full ? data : buf.img.subarray(0, 3 * w * h);
    const a = full ? alpha0 : buf.alpha.subarray(0, w * h);
    if (!full) resizeLevel(data, alpha0, w0, h0, img, a, w, h);
    const slot = (last - k) % 2;
    const nextF = buf.f[slot].subarray(0, 3 * w * h);
    const nextB = buf.b[slot].subarray(0, 3 * w * h);
    if (k === last && w >= 3 && h >= 3) {
      out = finestLevel(F, B, pw, ph, nextF, nextB, img, a, w, h, iterations, opts, buf);
      return;
    }
    prepareLevel(F, B, pw, ph, nextF, nextB, w, h, buf.runs, buf.rowRuns);
    F = nextF;
    B = nextB;
    pw = w;
    ph = h;
    for (let it = 0; it < iterations; it++) sweep(F, B, img, a, w, h, opts.regularization, opts.gradientWeight, buf.runs, buf.rowRuns);
  });
  if (out) return out;
  // Images under 3 px a side: every pixel was swept; F is in [0, 1], where Math.round(x) is floor(x + 0.5).
  const small = new Uint8Array(n0 * 3);
  for (let i = 0; i < small.length; i++) small[i] = (F[i] * 255 + 0.5) | 0;
  return small;
}

/** Working buffers of one estimate: F/B pairs used alternately by the levels, resized image and alpha, runs. */
interface Scratch {
  f: [Float32Array, Float32Array];
  b: [Float32Array, Float32Array];
  img: Uint8Array;
  alpha: Float32Array;
  runs: Int32Array;
  rowRuns: Int32Array;
  need: Uint8Array;
}

/**
 * Buffers up to this many pixels are kept between calls (one estimate runs at a time per thread,
 * and nothing reads a value an earlier call left: see finestLevel); about 37 bytes per pixel, so
 * a worker holds at most ~80 MB. Allocating and zeroing them per 1 MP image cost ~5 ms and
 * garbage collections.
 */
const KEEP_SCRATCH_PIXELS = 2_100_000;
let kept: { w: number; h: number; scratch: Scratch } | null = null;

function scratchFor(levels: Level[], w0: number, h0: number): Scratch {
  if (kept && kept.w === w0 && kept.h === h0) return kept.scratch;
  // The finest level lands in pair 0; each level reads the previous one's pair.
  let big = 1;
  let small = 1;
  let scaled = 0;
  const last = levels.length - 1;
  levels.forEach(({ w, h }, k) => {
    if ((last - k) % 2 === 0) big = Math.max(big, w * h);
    else small = Math.max(small, w * h);
    if (w !== w0 || h !== h0) scaled = Math.max(scaled, w * h);
  });
  const n0 = w0 * h0;
  const scratch: Scratch = {
    f: [new Float32Array(3 * big), new Float32Array(3 * small)],
    b: [new Float32Array(3 * big), new Float32Array(3 * small)],
    img: new Uint8Array(3 * scaled),
    alpha: new Float32Array(scaled),
    // At most one run per two interior pixels of a row, plus one per row.
    runs: new Int32Array(n0 + 2 * h0 + 2),
    rowRuns: new Int32Array(h0 + 1),
    need: new Uint8Array(n0),
  };
  kept = n0 <= KEEP_SCRATCH_PIXELS ? { w: w0, h: h0, scratch } : null;
  return scratch;
}

/**
 * Carries F and B up from the coarser level (nearest neighbour) and lists the pixels the sweeps
 * update: every interior pixel, as one [start, end) index range per interior row
 * (rowRuns[y]..rowRuns[y + 1] in runs).
 */
function prepareLevel(prevF: Float32Array, prevB: Float32Array, pw: number, ph: number, F: Float32Array, B: Float32Array, w: number, h: number, runs: Int32Array, rowRuns: Int32Array): void {
  const xs = nearestMap(pw, w);
  const ys = nearestMap(ph, h);
  let r = 0;
  for (let y = 0; y < h; y++) {
    rowRuns[y] = r;
    const src = ys[y] * pw;
    for (let x = 0; x < w; x++) {
      carry(prevF, prevB, F, B, 3 * (y * w + x), 3 * (src + xs[x]));
    }
    if (y > 0 && y < h - 1 && w >= 3) {
      runs[r++] = y * w + 1;
      runs[r++] = y * w + w - 1;
    }
  }
  rowRuns[h] = r;
}

/** F and B of a pixel (at p) from the coarser level's pixel (at s). */
function carry(prevF: Float32Array, prevB: Float32Array, F: Float32Array, B: Float32Array, p: number, s: number): void {
  F[p] = prevF[s];
  F[p + 1] = prevF[s + 1];
  F[p + 2] = prevF[s + 2];
  B[p] = prevB[s];
  B[p + 1] = prevB[s + 1];
  B[p + 2] = prevB[s + 2];
}

/** Interior pixel i is settled: alpha exactly 0 or 1, like its four neighbours. */
function settled(a: Float32Array, i: number, w: number): boolean {
  const a0 = a[i];
  return (a0 === 1 || a0 === 0) && a[i - 1] === a0 && a[i + 1] === a0 && a[i - w] === a0 && a[i + w] === a0;
}

/** 8-bit value of UNIT[v] as the output conversion rounds it (v itself). */
const BYTE = Uint8Array.from(UNIT, (u) => (u * 255 + 0.5) | 0);

/**
 * The finest level (w, h >= 3), whose result it returns as 8-bit F. Settled pixels (alpha exactly
 * 0 or 1 like their four neighbours) are not swept: at alpha 1 the update gives
 * F = (I + 4e-5 mean F) / (1 + 4e-5), I to within 4e-5, so F is I there; at alpha 0 the same holds
 * for B. The other layer (B under opaque, F under transparent pixels) keeps the coarser level's
 * value instead of being smoothed further, which moves F on the soft pixels next to it by at most
 * a level in 8 bits (measured in test/unit/matting/foreground-reference.test.ts). Under alpha 0,
 * where the colour is invisible, F is the coarser level's extrapolation. Only the finest level
 * skips settled pixels: skipping on the next coarser one too moved F by up to 6 levels.
 *
 * Only the pixels the sweeps update (the unsettled ones and the border) and their four neighbours
 * (`need`) get F and B carried up; every other pixel is settled, and its output comes straight from
 * the image (alpha 1) or the coarser level (alpha 0). At 1 MP with a band of ~5 % of the pixels
 * that skips most of the level's copying.
 */
function finestLevel(
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
  iterations: number,
  opts: ForegroundOptions,
  buf: Scratch,
): Uint8Array {
  const n = w * h;
  const { runs, rowRuns } = buf;
  const need = buf.need.subarray(0, n);
  need.fill(0);
  // Runs of unsettled interior pixels per interior row.
  let r = 0;
  for (let y = 0; y < h; y++) {
    rowRuns[y] = r;
    if (y === 0 || y === h - 1) continue;
    let open = -1;
    for (let i = y * w + 1, end = y * w + w - 1; i < end; i++) {
      if (settled(a, i, w)) {
        if (open >= 0) {
          runs[r++] = open;
          runs[r++] = i;
          open = -1;
        }
      } else if (open < 0) open = i;
    }
    if (open >= 0) {
      runs[r++] = open;
      runs[r++] = y * w + w - 1;
    }
  }
  rowRuns[h] = r;
  // What the sweeps read and write: border rows and columns (swept with clamped neighbours) and
  // the runs, each with its four neighbours.
  need.fill(1, 0, 2 * w);
  need.fill(1, (h - 2) * w, n);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    need[row] = need[row + 1] = need[row + w - 2] = need[row + w - 1] = 1;
  }
  for (let k = 0; k < r; k += 2) {
    const start = runs[k];
    const end = runs[k + 1];
    need.fill(1, start - 1, end + 1);
    need.fill(1, start - w, end - w);
    need.fill(1, start + w, end + w);
  }
  const xs = nearestMap(pw, w);
  const ys = nearestMap(ph, h);
  for (let y = 0; y < h; y++) {
    const src = ys[y] * pw;
    const interiorRow = y > 0 && y < h - 1;
    for (let x = 0, i = y * w; x < w; x++, i++) {
      if (!need[i]) continue;
      const p = 3 * i;
      carry(prevF, prevB, F, B, p, 3 * (src + xs[x]));
      if (interiorRow && x > 0 && x < w - 1 && settled(a, i, w)) {
        const known = a[i] === 1 ? F : B;
        known[p] = UNIT[img[p]];
        known[p + 1] = UNIT[img[p + 1]];
        known[p + 2] = UNIT[img[p + 2]];
      }
    }
  }
  for (let it = 0; it < iterations; it++) sweep(F, B, img, a, w, h, opts.regularization, opts.gradientWeight, runs, rowRuns);
  const out = new Uint8Array(3 * n);
  // F is in [0, 1], where Math.round(x) is floor(x + 0.5).
  for (let y = 0; y < h; y++) {
    const src = ys[y] * pw;
    for (let x = 0, i = y * w; x < w; x++, i++) {
      const p = 3 * i;
      if (need[i]) {
        out[p] = (F[p] * 255 + 0.5) | 0;
        out[p + 1] = (F[p + 1] * 255 + 0.5) | 0;
        out[p + 2] = (F[p + 2] * 255 + 0.5) | 0;
      } else if (a[i] === 1) {
        out[p] = BYTE[img[p]];
        out[p + 1] = BYTE[img[p + 1]];
        out[p + 2] = BYTE[img[p + 2]];
      } else {
        const s = 3 * (src + xs[x]);
        out[p] = (prevF[s] * 255 + 0.5) | 0;
        out[p + 1] = (prevF[s + 1] * 255 + 0.5) | 0;
        out[p + 2] = (prevF[s + 2] * 255 + 0.5) | 0;
      }
    }
  }
  return out;
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
