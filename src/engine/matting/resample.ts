import type { RgbImage, Trimap } from '../imaging/raster';

/** Source ranges [starts[i], starts[i+1]) of each low-resolution index when n samples map to m <= n. */
function spans(n: number, m: number): Int32Array {
  const starts = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) starts[i] = Math.floor((i * n) / m);
  for (let i = 1; i <= m; i++) if (starts[i] <= starts[i - 1]) starts[i] = starts[i - 1] + 1;
  starts[m] = Math.max(starts[m], Math.min(n, starts[m]));
  return starts;
}

/** A rectangle of low-resolution pixels: columns left..right-1, rows top..bottom-1. */
export interface LowRegion {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Where each of the first `count` low-resolution indices reads: its first sample, and whether it
 * has a second (then at first + 1). `count` is how many leading blocks are at most 2 samples long:
 * all of them when downscaling by 1/2 or less, all but the last when halving an odd size.
 */
interface PairTaps {
  first: Int32Array;
  second: Uint8Array;
  count: number;
}

function pairTaps(starts: Int32Array, m: number): PairTaps {
  const first = new Int32Array(m);
  const second = new Uint8Array(m);
  let count = 0;
  while (count < m && starts[count + 1] - starts[count] <= 2) {
    first[count] = starts[count];
    second[count] = starts[count + 1] - starts[count] - 1;
    count++;
  }
  return { first, second, count };
}

/** The part of `region` both axes' pair taps cover, and the rectangles of it beside and below that part. */
function splitAtPairs(region: LowRegion, tx: PairTaps, ty: PairTaps): { pairs: LowRegion; rest: LowRegion[] } {
  const cx = Math.max(region.left, Math.min(region.right, tx.count));
  const cy = Math.max(region.top, Math.min(region.bottom, ty.count));
  const rest = [
    { left: cx, top: region.top, right: region.right, bottom: region.bottom },
    { left: region.left, top: cy, right: cx, bottom: region.bottom },
  ].filter((r) => r.right > r.left && r.bottom > r.top);
  return { pairs: { left: region.left, top: region.top, right: cx, bottom: cy }, rest };
}

/**
 * Area-average downscale of 8-bit RGB. Where blocks are 1-2 px each way (downscales by 1/2 and
 * less: the working image of a 1-2 MP photo, the half-resolution start) each block's four corners
 * are read, a missing second row or column counted 0 times, and rounded by shifts: block loops run
 * 1-2 iterations there, the irregular lengths mispredicted branch after branch, and were 1.4x
 * (1.7 MP to 1 MP) to 2x (exact halving) slower. Same bytes either way: the sums are exact integers
 * and (s + area/2) >> log2(area) is Math.round(s / area) for areas 1, 2 and 4.
 */
export function downscaleRgb(image: RgbImage, lowWidth: number, lowHeight: number): RgbImage {
  const xs = spans(image.width, lowWidth);
  const ys = spans(image.height, lowHeight);
  const out = new Uint8Array(lowWidth * lowHeight * 3);
  const tx = pairTaps(xs, lowWidth);
  const ty = pairTaps(ys, lowHeight);
  const { pairs, rest } = splitAtPairs({ left: 0, top: 0, right: lowWidth, bottom: lowHeight }, tx, ty);
  downscaleRgbPairs(out, image, tx, ty, pairs);
  for (const region of rest) downscaleRgbBlocks(out, image, xs, ys, region);
  return { width: lowWidth, height: lowHeight, data: out };
}

function downscaleRgbPairs(out: Uint8Array, image: RgbImage, tx: PairTaps, ty: PairTaps, region: LowRegion): void {
  const { width, data } = image;
  const lowWidth = tx.first.length;
  const stride = 3 * width;
  const { first, second } = tx;
  for (let ly = region.top; ly < region.bottom; ly++) {
    const r0 = ty.first[ly] * stride;
    const tall = ty.second[ly];
    const r1 = r0 + tall * stride;
    for (let lx = region.left, o = 3 * (ly * lowWidth + region.left); lx < region.right; lx++, o += 3) {
      const wide = second[lx];
      const a0 = r0 + 3 * first[lx];
      const b0 = a0 + 3 * wide;
      const a1 = r1 + 3 * first[lx];
      const b1 = a1 + 3 * wide;
      const shift = wide + tall;
      const half = (1 << shift) >> 1;
      out[o] = (data[a0] + data[b0] * wide + (data[a1] + data[b1] * wide) * tall + half) >> shift;
      out[o + 1] = (data[a0 + 1] + data[b0 + 1] * wide + (data[a1 + 1] + data[b1 + 1] * wide) * tall + half) >> shift;
      out[o + 2] = (data[a0 + 2] + data[b0 + 2] * wide + (data[a1 + 2] + data[b1 + 2] * wide) * tall + half) >> shift;
    }
  }
}

/** The general area average over `region`: any block size. */
function downscaleRgbBlocks(out: Uint8Array, image: RgbImage, xs: Int32Array, ys: Int32Array, region: LowRegion): void {
  const { width, data } = image;
  const lowWidth = xs.length - 1;
  for (let ly = region.top; ly < region.bottom; ly++) {
    const y0 = ys[ly];
    const y1 = ys[ly + 1];
    for (let lx = region.left; lx < region.right; lx++) {
      const x0 = xs[lx];
      const x1 = xs[lx + 1];
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = y0; y < y1; y++) {
        for (let i = 3 * (y * width + x0), end = 3 * (y * width + x1); i < end; i += 3) {
          r += data[i];
          g += data[i + 1];
          b += data[i + 2];
        }
      }
      const inv = 1 / ((x1 - x0) * (y1 - y0));
      const o = 3 * (ly * lowWidth + lx);
      out[o] = Math.round(r * inv);
      out[o + 1] = Math.round(g * inv);
      out[o + 2] = Math.round(b * inv);
    }
  }
}

/**
 * Visits each low-resolution pixel (of `region`, default all) with how many of the source pixels
 * it covers the trimap marks foreground and background, and how many it covers.
 */
function countBlocks(
  trimap: Trimap,
  width: number,
  height: number,
  lowWidth: number,
  lowHeight: number,
  visit: (index: number, fg: number, bg: number, area: number) => void,
  region: LowRegion = { left: 0, top: 0, right: lowWidth, bottom: lowHeight },
): void {
  const xs = spans(width, lowWidth);
  const ys = spans(height, lowHeight);
  for (let ly = region.top; ly < region.bottom; ly++) {
    const y0 = ys[ly];
    const y1 = ys[ly + 1];
    for (let lx = region.left; lx < region.right; lx++) {
      const x0 = xs[lx];
      const x1 = xs[lx + 1];
      let f = 0;
      let b = 0;
      for (let y = y0; y < y1; y++) {
        for (let i = y * width + x0, end = y * width + x1; i < end; i++) {
          const t = trimap[i];
          if (t === 255) f++;
          else if (t === 0) b++;
        }
      }
      visit(ly * lowWidth + lx, f, b, (x1 - x0) * (y1 - y0));
    }
  }
}

/** A low-resolution pixel is known only where every source pixel agrees. */
export function downscaleTrimap(trimap: Trimap, width: number, height: number, lowWidth: number, lowHeight: number): Trimap {
  return downscaleTrimapInto(new Uint8Array(lowWidth * lowHeight), trimap, width, height, lowWidth, lowHeight);
}

/** downscaleTrimap into `out` (lowWidth × lowHeight), only over `region` (the live preview redoes what a stroke changed). */
export function downscaleTrimapInto(out: Trimap, trimap: Trimap, width: number, height: number, lowWidth: number, lowHeight: number, region?: LowRegion): Trimap {
  const tx = pairTaps(spans(width, lowWidth), lowWidth);
  const ty = pairTaps(spans(height, lowHeight), lowHeight);
  const { pairs, rest } = splitAtPairs(region ?? { left: 0, top: 0, right: lowWidth, bottom: lowHeight }, tx, ty);
  downscaleTrimapPairs(out, trimap, width, tx, ty, pairs);
  for (const part of rest) countBlocks(trimap, width, height, lowWidth, lowHeight, (i, fg, bg, area) => (out[i] = fg === area ? 255 : bg === area ? 0 : 128), part);
  return out;
}

/**
 * downscaleTrimapInto where blocks are 1-2 px each way (as downscaleRgbPairs, a missing second row
 * or column reads the first again): every sample is 255 exactly when their AND is, 0 when their OR is.
 */
function downscaleTrimapPairs(out: Trimap, trimap: Trimap, width: number, tx: PairTaps, ty: PairTaps, region: LowRegion): void {
  const lowWidth = tx.first.length;
  for (let ly = region.top; ly < region.bottom; ly++) {
    const r0 = ty.first[ly] * width;
    const r1 = r0 + ty.second[ly] * width;
    for (let lx = region.left, o = ly * lowWidth + region.left; lx < region.right; lx++, o++) {
      const x0 = tx.first[lx];
      const x1 = x0 + tx.second[lx];
      const a = trimap[r0 + x0];
      const b = trimap[r0 + x1];
      const c = trimap[r1 + x0];
      const d = trimap[r1 + x1];
      out[o] = (a & b & c & d) === 255 ? 255 : (a | b | c | d) === 0 ? 0 : 128;
    }
  }
}

/**
 * RGB bytes to three 0..1 float planes: of the whole image, or of the rectangle `region` of it
 * (columns left..right-1, rows top..bottom-1; the guided upsampling's tiles).
 */
export function rgbPlanes(image: RgbImage, region: LowRegion = { left: 0, top: 0, right: image.width, bottom: image.height }): [Float32Array, Float32Array, Float32Array] {
  const { width, data } = image;
  const { left, top, right, bottom } = region;
  const n = (right - left) * (bottom - top);
  const r = new Float32Array(n);
  const g = new Float32Array(n);
  const b = new Float32Array(n);
  const s = 1 / 255;
  for (let y = top, o = 0; y < bottom; y++) {
    for (let i = 3 * (y * width + left), end = 3 * (y * width + right); i < end; i += 3, o++) {
      r[o] = data[i] * s;
      g[o] = data[i + 1] * s;
      b[o] = data[i + 2] * s;
    }
  }
  return [r, g, b];
}

/** Working size whose pixel count is at most maxMegapixels, keeping the aspect ratio. */
export function workingSize(width: number, height: number, maxMegapixels: number): { width: number; height: number; scale: number } {
  const cap = maxMegapixels * 1e6;
  if (!(cap > 0) || width * height <= cap) return { width, height, scale: 1 };
  const scale = Math.sqrt(cap / (width * height));
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)), scale };
}

/** Fractions of each low-resolution pixel's area that the trimap marks foreground and background. */
export function trimapFractions(trimap: Trimap, width: number, height: number, lowWidth: number, lowHeight: number): { fg: Float32Array; bg: Float32Array } {
  const fg = new Float32Array(lowWidth * lowHeight);
  const bg = new Float32Array(lowWidth * lowHeight);
  countBlocks(trimap, width, height, lowWidth, lowHeight, (i, f, b, area) => {
    fg[i] = f / area;
    bg[i] = b / area;
  });
  return { fg, bg };
}
