import type { Alpha, RgbImage } from '../../imaging/raster';
import { assertImage, assertPlane } from '../validate';

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

/**
 * Nearest-neighbour resize of the RGB bytes and the alpha plane to one level: the pixels of the
 * given [start, end) runs (rowRuns[y]..rowRuns[y + 1] per row), or every pixel.
 */
function resizeRuns(
  data: Uint8Array,
  alpha: Float32Array,
  sw: number,
  sh: number,
  img: Uint8Array,
  a: Float32Array,
  w: number,
  h: number,
  runs: Int32Array | null,
  rowRuns: Int32Array | null,
): void {
  const xs = nearestMap(sw, w);
  const ys = nearestMap(sh, h);
  for (let y = 0; y < h; y++) {
    const row = ys[y] * sw;
    const first = rowRuns ? rowRuns[y] : 0;
    const stop = rowRuns ? rowRuns[y + 1] : 2;
    for (let q = first; q < stop; q += 2) {
      const start = runs ? runs[q] : y * w;
      const end = runs ? runs[q + 1] : y * w + w;
      for (let o = start, x = start - y * w; o < end; o++, x++) {
        const s = row + xs[x];
        a[o] = alpha[s];
        img[3 * o] = data[3 * s];
        img[3 * o + 1] = data[3 * s + 1];
        img[3 * o + 2] = data[3 * s + 2];
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

/** 8-bit value to 0..1 as Float32, as the reference's Float32Array(data / 255) holds it. */
const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Mean of each channel as 0..1, from histograms: every UNIT value is a multiple of 2^-31, so below
 * 2^22 pixels the reference's running Float64 sum of UNIT values is exact, and so is this one, at
 * a third of the time (two histogram sets, alternate pixels, keep repeated values from waiting on
 * one counter).
 */
function channelMeans(data: Uint8Array, n: number): Float32Array {
  const hist = new Int32Array(6 * 256);
  const pairs = 6 * (n >> 1);
  for (let i = 0; i < pairs; i += 6) {
    hist[data[i]]++;
    hist[256 + data[i + 1]]++;
    hist[512 + data[i + 2]]++;
    hist[768 + data[i + 3]]++;
    hist[1024 + data[i + 4]]++;
    hist[1280 + data[i + 5]]++;
  }
  if (n & 1) {
    hist[data[pairs]]++;
    hist[256 + data[pairs + 1]]++;
    hist[512 + data[pairs + 2]]++;
  }
  const mean = new Float32Array(3);
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let v = 0; v < 256; v++) sum += (hist[256 * c + v] + hist[768 + 256 * c + v]) * UNIT[v];
    mean[c] = sum / n;
  }
  return mean;
}

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
  const levels = levelSizes(w0, h0, opts);
  const last = levels.length - 1;
  const buf = scratchFor(levels, w0, h0);
  // The finest level's unsettled pixels are found first: the larger coarser levels sweep only near
  // them. The same scan tells whether alpha needs cleaning (then it runs again on the clean copy).
  const hasFine = w0 >= 3 && h0 >= 3;
  let alpha0 = alpha;
  if (!hasFine) alpha0 = cleanAlpha(alpha);
  else if (!unsettledRuns(alpha, w0, h0, buf.fineRuns, buf.fineRowRuns)) {
    alpha0 = cleanAlpha(alpha);
    unsettledRuns(alpha0, w0, h0, buf.fineRuns, buf.fineRowRuns);
  }
  let F: Float32Array = channelMeans(data, n0);
  let B: Float32Array = Float32Array.from(F);
  let pw = 1;
  let ph = 1;
  let out: Uint8Array | undefined;
  levels.forEach(({ w, h, iterations }, k) => {
    const full = w === w0 && h === h0;
    const img = full ? data : buf.img.subarray(0, 3 * w * h);
    const a = full ? alpha0 : buf.alpha.subarray(0, w * h);
    const slot = (last - k) % 2;
    const nextF = buf.f[slot].subarray(0, 3 * w * h);
    const nextB = buf.b[slot].subarray(0, 3 * w * h);
    if (k === last && w >= 3 && h >= 3) {
      out = finestLevel(F, B, pw, ph, nextF, nextB, img, a, w, h, iterations, opts, buf);
      return;
    }
    if (hasFine && (w > opts.smallSize || h > opts.smallSize)) {
      nearBandRuns(buf.fineRuns, buf.fineRowRuns, w0, h0, w, h, buf.tiles, buf.runs, buf.rowRuns);
      // The level's image and alpha are read only by its sweeps: at the swept pixels and their neighbours.
      neighbourhoodRuns(buf.runs, buf.rowRuns, w, h, buf.levelNeed, buf.levelNeedRows);
      if (!full) resizeRuns(data, alpha0, w0, h0, img, a, w, h, buf.levelNeed, buf.levelNeedRows);
    } else {
      interiorRuns(w, h, buf.runs, buf.rowRuns);
      if (!full) resizeRuns(data, alpha0, w0, h0, img, a, w, h, null, null);
    }
    carryLevel(F, B, pw, ph, nextF, nextB, w, h);
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
  /** [start, end) index ranges a coarser level's sweeps update, per row (rowRuns[y]..rowRuns[y + 1]). */
  runs: Int32Array;
  rowRuns: Int32Array;
  /** The finest level's runs of unsettled interior pixels, in the same layout. */
  fineRuns: Int32Array;
  fineRowRuns: Int32Array;
  /** Tiles of a coarser level near the band, and the same grown by one tile (nearBandRuns). */
  tiles: Uint8Array;
  /** A coarser level's swept pixels and their neighbours (neighbourhoodRuns of runs). */
  levelNeed: Int32Array;
  levelNeedRows: Int32Array;
}

/**
 * Buffers up to this many pixels are kept between calls (one estimate runs at a time per thread,
 * and nothing reads a value an earlier call left: every level carries F and B to all its pixels,
 * and a level's image and alpha are read only where it resized them, see neighbourhoodRuns);
 * about 42 bytes per pixel (the run lists are sized for the worst case), so a worker holds at
 * most ~90 MB. Allocating and zeroing them per 1 MP image cost ~5 ms and garbage collections.
 */
const KEEP_SCRATCH_PIXELS = 2_100_000;
/** Element counts of a Scratch's buffers. */
type ScratchSizes = Record<'big' | 'small' | 'scaled' | 'runs' | 'fineRuns' | 'rows' | 'tiles' | 'levelNeed', number>;
let kept: { sizes: ScratchSizes; scratch: Scratch } | null = null;

/**
 * Buffers for an estimate, the kept ones when they are large enough: every buffer is used through
 * subarrays or run lists, so a larger one serves (a batch's photos differ by a few pixels a side,
 * and each new size used to allocate and zero ~70 MB). Kept buffers grow to the largest size seen.
 */
function scratchFor(levels: Level[], w0: number, h0: number): Scratch {
  // The finest level lands in pair 0; each level reads the previous one's pair.
  const n0 = w0 * h0;
  const need: ScratchSizes = { big: 1, small: 1, scaled: 0, runs: 1, fineRuns: n0 + 2 * h0 + 2, rows: h0 + 1, tiles: 1, levelNeed: 1 };
  const last = levels.length - 1;
  levels.forEach(({ w, h }, k) => {
    if ((last - k) % 2 === 0) need.big = Math.max(need.big, w * h);
    else need.small = Math.max(need.small, w * h);
    if (w !== w0 || h !== h0) {
      need.scaled = Math.max(need.scaled, w * h);
      need.levelNeed = Math.max(need.levelNeed, w * h + 2 * h + 2);
      need.tiles = Math.max(need.tiles, 2 * Math.ceil(w / TILE) * Math.ceil(h / TILE));
    }
  });
  // At most one run per two pixels of a row, plus one per row; the finest level's
  // neighbourhoodRuns land in runs too.
  need.runs = Math.max(need.levelNeed, need.fineRuns);
  const keys = Object.keys(need) as (keyof ScratchSizes)[];
  if (kept && keys.every((k) => kept!.sizes[k] >= need[k])) return kept.scratch;
  const keep = n0 <= KEEP_SCRATCH_PIXELS;
  const sizes = { ...need };
  if (keep && kept) for (const k of keys) sizes[k] = Math.max(sizes[k], kept.sizes[k]);
  const scratch: Scratch = {
    f: [new Float32Array(3 * sizes.big), new Float32Array(3 * sizes.small)],
    b: [new Float32Array(3 * sizes.big), new Float32Array(3 * sizes.small)],
    img: new Uint8Array(3 * sizes.scaled),
    alpha: new Float32Array(sizes.scaled),
    runs: new Int32Array(sizes.runs),
    rowRuns: new Int32Array(sizes.rows),
    fineRuns: new Int32Array(sizes.fineRuns),
    fineRowRuns: new Int32Array(sizes.rows),
    tiles: new Uint8Array(sizes.tiles),
    levelNeed: new Int32Array(sizes.levelNeed),
    levelNeedRows: new Int32Array(sizes.rows),
  };
  kept = keep ? { sizes, scratch } : kept;
  return scratch;
}

/**
 * Carries F and B up from the coarser level (nearest neighbour), for every pixel. A row made from
 * the same coarser row as the one before it (about half of them) is a copy of that row. The
 * copies are written out (here and in finestLevel): a pipeline thread runs a handful of estimates,
 * and V8 did not always inline a helper by then.
 */
function carryLevel(prevF: Float32Array, prevB: Float32Array, pw: number, ph: number, F: Float32Array, B: Float32Array, w: number, h: number): void {
  const xs = nearestMap(pw, w);
  const ys = nearestMap(ph, h);
  for (let y = 0; y < h; y++) {
    if (y > 0 && ys[y] === ys[y - 1]) {
      F.copyWithin(3 * y * w, 3 * (y - 1) * w, 3 * y * w);
      B.copyWithin(3 * y * w, 3 * (y - 1) * w, 3 * y * w);
      continue;
    }
    const src = ys[y] * pw;
    for (let x = 0, p = 3 * y * w; x < w; x++, p += 3) {
      const q = 3 * (src + xs[x]);
      F[p] = prevF[q];
      F[p + 1] = prevF[q + 1];
      F[p + 2] = prevF[q + 2];
      B[p] = prevB[q];
      B[p + 1] = prevB[q + 1];
      B[p + 2] = prevB[q + 2];
    }
  }
}

/** Every interior pixel as one [start, end) run per interior row. */
function interiorRuns(w: number, h: number, runs: Int32Array, rowRuns: Int32Array): void {
  let r = 0;
  for (let y = 0; y < h; y++) {
    rowRuns[y] = r;
    if (y > 0 && y < h - 1 && w >= 3) {
      runs[r++] = y * w + 1;
      runs[r++] = y * w + w - 1;
    }
  }
  rowRuns[h] = r;
}

/**
 * Side of the tiles that decide where a coarser level is swept, in that level's pixels, and how
 * many tiles the swept area reaches past those that hold a finest-level unsettled pixel: at least
 * TILE * GROW (12) pixels on every side of the band, at most 15.
 */
const TILE = 4;
const GROW = 3;

/**
 * The runs a coarser level's sweeps update: its interior pixels within GROW tiles of the finest
 * level's unsettled ones. Away from the band the level keeps what was carried up from the level
 * below, which only the skipped pixels' neighbours read, and what they read from there reaches
 * the band through a dozen Gauss-Seidel steps or more that each weigh it by a fraction. Measured
 * against sweeping the whole level, where alpha > 0, on 18 pipeline alphas of 1 and 1.7 MP
 * portraits (bench/foreground-photos.ts): margins of 2-3 px moved F by 1 level (mean 2e-5 to
 * 2e-4), 4-7 px by 1 level (mean <= 4e-6), 8-15 px by 1 level on 3 channel values of one photo,
 * 12-15 px not at all, at the same cost within noise. The band is taken from the finest alpha,
 * not the level's own nearest-neighbour sample of it, which misses strands thinner than the
 * sampling step.
 */
function nearBandRuns(fineRuns: Int32Array, fineRowRuns: Int32Array, w0: number, h0: number, w: number, h: number, tiles: Uint8Array, runs: Int32Array, rowRuns: Int32Array): void {
  const tw = Math.ceil(w / TILE);
  const th = Math.ceil(h / TILE);
  const nt = tw * th;
  const hit = tiles.subarray(0, nt);
  const grown = tiles.subarray(nt, 2 * nt);
  hit.fill(0);
  const sx = w / w0;
  const sy = h / h0;
  for (let y = 1; y < h0 - 1; y++) {
    const start = fineRowRuns[y];
    const end = fineRowRuns[y + 1];
    if (start === end) continue;
    const row = Math.min(th - 1, Math.floor(Math.floor(y * sy) / TILE)) * tw;
    const base = y * w0;
    for (let k = start; k < end; k += 2) {
      const t0 = Math.floor(Math.floor((fineRuns[k] - base) * sx) / TILE);
      const t1 = Math.min(tw - 1, Math.floor(Math.floor((fineRuns[k + 1] - 1 - base) * sx) / TILE));
      hit.fill(1, row + t0, row + t1 + 1);
    }
  }
  // Grow by GROW tiles: across within each tile row, then down and up.
  for (let g = 0; g < GROW; g++) {
    if (g > 0) hit.set(grown);
    for (let ty = 0; ty < th; ty++) {
      const row = ty * tw;
      for (let tx = 0; tx < tw; tx++) grown[row + tx] = hit[row + tx] | (tx > 0 ? hit[row + tx - 1] : 0) | (tx < tw - 1 ? hit[row + tx + 1] : 0);
    }
    hit.set(grown);
    for (let ty = 0; ty < th; ty++) {
      const row = ty * tw;
      for (let tx = 0; tx < tw; tx++) grown[row + tx] = hit[row + tx] | (ty > 0 ? hit[row + tx - tw] : 0) | (ty < th - 1 ? hit[row + tx + tw] : 0);
    }
  }
  let r = 0;
  for (let y = 0; y < h; y++) {
    rowRuns[y] = r;
    if (y === 0 || y === h - 1 || w < 3) continue;
    const row = Math.floor(y / TILE) * tw;
    for (let tx = 0; tx < tw; tx++) {
      if (!grown[row + tx]) continue;
      const t0 = tx;
      while (tx + 1 < tw && grown[row + tx + 1]) tx++;
      const start = Math.max(1, t0 * TILE);
      const end = Math.min(w - 1, (tx + 1) * TILE);
      if (start < end) {
        runs[r++] = y * w + start;
        runs[r++] = y * w + end;
      }
    }
  }
  rowRuns[h] = r;
}

/** Bit patterns of the Float32 values 0 and 1. */
const ZERO_BITS = 0;
const ONE_BITS = 0x3f800000;

/**
 * Runs of unsettled interior pixels per interior row (see finestLevel), as [start, end) indices.
 * An interior pixel is settled when its alpha is exactly 0 or 1, like its four neighbours. The
 * alpha is compared as bits (cheaper than as numbers; -0 counts as unsettled, so it is swept), and
 * each row alternates a tight loop over a settled stretch with one over an unsettled run.
 * Returns whether every alpha lies in [0, 1] (settled pixels do; the others are checked on the
 * way, as bits: those of +0..1 are the int32 values 0..ONE_BITS), which saves cleanAlpha a pass.
 */
function unsettledRuns(alpha: Float32Array, w: number, h: number, runs: Int32Array, rowRuns: Int32Array): boolean {
  const a = new Int32Array(alpha.buffer, alpha.byteOffset, alpha.length);
  let outside = 0;
  for (let x = 0; x < w; x++) outside |= Number(a[x] >>> 0 > ONE_BITS) | Number(a[(h - 1) * w + x] >>> 0 > ONE_BITS);
  for (let y = 1; y < h - 1; y++) outside |= Number(a[y * w] >>> 0 > ONE_BITS) | Number(a[y * w + w - 1] >>> 0 > ONE_BITS);
  let r = 0;
  for (let y = 0; y < h; y++) {
    rowRuns[y] = r;
    if (y === 0 || y === h - 1) continue;
    const end = y * w + w - 1;
    let i = y * w + 1;
    while (i < end) {
      let v = a[i];
      while (i < end && (v === ZERO_BITS || v === ONE_BITS) && a[i - 1] === v && a[i + 1] === v && a[i - w] === v && a[i + w] === v) v = a[++i];
      if (i >= end) break;
      runs[r++] = i;
      outside |= Number(v >>> 0 > ONE_BITS);
      for (i++; i < end; i++) {
        const u = a[i];
        if ((u === ZERO_BITS || u === ONE_BITS) && a[i - 1] === u && a[i + 1] === u && a[i - w] === u && a[i + w] === u) break;
        outside |= Number(u >>> 0 > ONE_BITS);
      }
      runs[r++] = i;
    }
  }
  rowRuns[h] = r;
  return outside === 0;
}

/**
 * The pixels the finest level's sweeps read or write, per row as sorted, disjoint [start, end)
 * runs: the first and last two rows and columns (the border is swept with clamped neighbours),
 * and each unsettled run widened by one pixel on its row and copied to the rows above and below.
 */
function neighbourhoodRuns(runs: Int32Array, rowRuns: Int32Array, w: number, h: number, out: Int32Array, outRows: Int32Array): void {
  let r = 0;
  for (let y = 0; y < h; y++) {
    outRows[y] = r;
    const row = y * w;
    if (y < 2 || y >= h - 2) {
      out[r++] = row;
      out[r++] = row + w;
      continue;
    }
    // Merge by start the row's widened runs (a), those above (u) and below (d), with the border
    // columns first and last.
    let ka = rowRuns[y];
    const aEnd = rowRuns[y + 1];
    let ku = rowRuns[y - 1];
    const uEnd = rowRuns[y];
    let kd = rowRuns[y + 1];
    const dEnd = rowRuns[y + 2];
    let start = row;
    let end = row + 2;
    for (;;) {
      const sa = ka < aEnd ? runs[ka] - 1 : Infinity;
      const su = ku < uEnd ? runs[ku] + w : Infinity;
      const sd = kd < dEnd ? runs[kd] - w : Infinity;
      let s: number;
      let e: number;
      if (sa <= su && sa <= sd) {
        if (sa === Infinity) break;
        s = sa;
        e = runs[ka + 1] + 1;
        ka += 2;
      } else if (su <= sd) {
        s = su;
        e = runs[ku + 1] + w;
        ku += 2;
      } else {
        s = sd;
        e = runs[kd + 1] - w;
        kd += 2;
      }
      if (s <= end) {
        if (e > end) end = e;
      } else {
        out[r++] = start;
        out[r++] = end;
        start = s;
        end = e;
      }
    }
    if (row + w - 2 <= end) end = row + w;
    else {
      out[r++] = start;
      out[r++] = end;
      start = row + w - 2;
      end = row + w;
    }
    out[r++] = start;
    out[r++] = end;
  }
  outRows[h] = r;
}


/**
 * The finest level (w, h >= 3), whose result it returns as 8-bit F. Settled pixels (alpha exactly
 * 0 or 1 like their four neighbours) are not swept: at alpha 1 the update gives
 * F = (I + 4e-5 mean F) / (1 + 4e-5), I to within 4e-5, so F is I there; at alpha 0 the same holds
 * for B. The other layer (B under opaque, F under transparent pixels) keeps the coarser level's
 * value instead of being smoothed further, which moves F on the soft pixels next to it by at most
 * a level in 8 bits (measured in test/unit/matting/foreground-reference.test.ts). Under alpha 0,
 * where the colour is invisible, F is the coarser level's extrapolation. Only the finest level
 * skips every settled pixel: skipping them on the next coarser one too moved F by up to 6 levels;
 * the coarser levels skip only what lies a tile or more away from the band (nearBandRuns).
 *
 * Only the pixels the sweeps update (the unsettled ones and the border) and their four neighbours
 * (neighbourhoodRuns) get F and B carried up; every other pixel is settled, and its output comes
 * straight from the image (alpha 1) or the coarser level (alpha 0). At 1 MP with a band of ~5 % of
 * the pixels that skips most of the level's copying, and no pass here tests every pixel.
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
  const { fineRuns: runs, fineRowRuns: rowRuns } = buf;
  // What the sweeps read and write, the runs with their four neighbours and the border, as runs
  // too (in the coarser levels' run buffer, free now).
  const needRuns = buf.runs;
  const needRowRuns = buf.rowRuns;
  neighbourhoodRuns(runs, rowRuns, w, h, needRuns, needRowRuns);
  const xs = nearestMap(pw, w);
  const ys = nearestMap(ph, h);
  for (let y = 0; y < h; y++) {
    const src = ys[y] * pw;
    const interiorRow = y > 0 && y < h - 1;
    // The row's own unsettled runs: a needed interior pixel outside them is settled.
    let k = rowRuns[y];
    const kEnd = rowRuns[y + 1];
    for (let q = needRowRuns[y]; q < needRowRuns[y + 1]; q += 2) {
      for (let i = needRuns[q], end = needRuns[q + 1], x = i - y * w; i < end; i++, x++) {
        const p = 3 * i;
        const q = 3 * (src + xs[x]);
        F[p] = prevF[q];
        F[p + 1] = prevF[q + 1];
        F[p + 2] = prevF[q + 2];
        B[p] = prevB[q];
        B[p + 1] = prevB[q + 1];
        B[p + 2] = prevB[q + 2];
        if (!interiorRow || x === 0 || x === w - 1) continue;
        while (k < kEnd && runs[k + 1] <= i) k += 2;
        if (k < kEnd && runs[k] <= i) continue;
        const known = a[i] === 1 ? F : B;
        known[p] = UNIT[img[p]];
        known[p + 1] = UNIT[img[p + 1]];
        known[p + 2] = UNIT[img[p + 2]];
      }
    }
  }
  for (let it = 0; it < iterations; it++) sweep(F, B, img, a, w, h, opts.regularization, opts.gradientWeight, runs, rowRuns);
  // Settled opaque pixels are the image's own bytes (UNIT[v] converts back to v exactly), settled
  // transparent ones the coarser level's F, and the needed ones this level's F. F is in [0, 1],
  // where Math.round(x) is floor(x + 0.5).
  const out = new Uint8Array(3 * n);
  out.set(img);
  // The coarser level's F in bytes, converted once per coarser pixel rather than once per
  // transparent pixel here (about twice as many), into the resized-image buffer, free at this level.
  const coarse = buf.img.subarray(0, 3 * pw * ph);
  for (let s = 0; s < coarse.length; s++) coarse[s] = (prevF[s] * 255 + 0.5) | 0;
  const xs3 = xs.map((x) => 3 * x);
  // Between two unsettled runs of an interior row lies a settled stretch, all of one alpha (a
  // settled pixel's neighbours share its value): only the transparent stretches are written.
  for (let y = 1; y < h - 1; y++) {
    const src = 3 * ys[y] * pw;
    const row = y * w;
    let k = rowRuns[y];
    const kEnd = rowRuns[y + 1];
    for (let start = row + 1; start < row + w - 1; ) {
      const end = k < kEnd ? runs[k] : row + w - 1;
      if (start < end && a[start] === 0) {
        for (let i = start, x = start - row; i < end; i++, x++) {
          const p = 3 * i;
          const s = src + xs3[x];
          out[p] = coarse[s];
          out[p + 1] = coarse[s + 1];
          out[p + 2] = coarse[s + 2];
        }
      }
      if (k >= kEnd) break;
      start = runs[k + 1];
      k += 2;
    }
  }
  for (let q = 0; q < needRowRuns[h]; q += 2) {
    for (let p = 3 * needRuns[q], end = 3 * needRuns[q + 1]; p < end; p++) out[p] = (F[p] * 255 + 0.5) | 0;
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

/** Pixel (x, y) with its neighbours clamped to the image (a neighbour outside is the pixel itself). */
function updateClamped(F: Float32Array, B: Float32Array, img: Uint8Array, a: Float32Array, w: number, h: number, x: number, y: number, reg: number, gw: number): void {
  const i = y * w + x;
  updatePixel(F, B, img, a, i, x > 0 ? i - 1 : i, x < w - 1 ? i + 1 : i, y > 0 ? i - w : i, y < h - 1 ? i + w : i, reg, gw);
}

/** The update of pixel i from its left, right, up and down neighbours l, r, u, d, summed in that order as updateRange does. */
function updatePixel(F: Float32Array, B: Float32Array, img: Uint8Array, a: Float32Array, i: number, l: number, r: number, u: number, d: number, reg: number, gw: number): void {
  const a0 = a[i];
  const a1 = 1 - a0;
  const dl = reg + gw * Math.abs(a0 - a[l]);
  const dr = reg + gw * Math.abs(a0 - a[r]);
  const du = reg + gw * Math.abs(a0 - a[u]);
  const dd = reg + gw * Math.abs(a0 - a[d]);
  const a00 = a0 * a0 + dl + dr + du + dd;
  const a01 = a0 * a1;
  const a11 = a1 * a1 + dl + dr + du + dd;
  const p = 3 * i;
  const i0 = UNIT[img[p]];
  const i1 = UNIT[img[p + 1]];
  const i2 = UNIT[img[p + 2]];
  const f0 = a0 * i0 + dl * F[3 * l] + dr * F[3 * r] + du * F[3 * u] + dd * F[3 * d];
  const f1 = a0 * i1 + dl * F[3 * l + 1] + dr * F[3 * r + 1] + du * F[3 * u + 1] + dd * F[3 * d + 1];
  const f2 = a0 * i2 + dl * F[3 * l + 2] + dr * F[3 * r + 2] + du * F[3 * u + 2] + dd * F[3 * d + 2];
  const b0 = a1 * i0 + dl * B[3 * l] + dr * B[3 * r] + du * B[3 * u] + dd * B[3 * d];
  const b1 = a1 * i1 + dl * B[3 * l + 1] + dr * B[3 * r + 1] + du * B[3 * u + 1] + dd * B[3 * d + 1];
  const b2 = a1 * i2 + dl * B[3 * l + 2] + dr * B[3 * r + 2] + du * B[3 * u + 2] + dd * B[3 * d + 2];
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
}

function clamp01(v: number): number {
  return v > 0 ? (v < 1 ? v : 1) : 0; // NaN -> 0
}
