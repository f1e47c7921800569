import type { RgbImage, Trimap } from '../imaging/raster';

/** Source ranges [starts[i], starts[i+1]) of each low-resolution index when n samples map to m <= n. */
function spans(n: number, m: number): Int32Array {
  const starts = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) starts[i] = Math.floor((i * n) / m);
  for (let i = 1; i <= m; i++) if (starts[i] <= starts[i - 1]) starts[i] = starts[i - 1] + 1;
  starts[m] = Math.max(starts[m], Math.min(n, starts[m]));
  return starts;
}

/** Area-average downscale of 8-bit RGB. */
export function downscaleRgb(image: RgbImage, lowWidth: number, lowHeight: number): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(lowWidth * lowHeight * 3);
  const acc = new Float64Array(lowWidth * 3);
  const xs = spans(width, lowWidth);
  const ys = spans(height, lowHeight);
  for (let ly = 0; ly < lowHeight; ly++) {
    const y0 = ys[ly];
    const y1 = ys[ly + 1];
    acc.fill(0);
    for (let y = y0; y < y1; y++) {
      for (let lx = 0; lx < lowWidth; lx++) {
        const x0 = xs[lx];
        const x1 = xs[lx + 1];
        let r = 0;
        let g = 0;
        let b = 0;
        for (let i = 3 * (y * width + x0), end = 3 * (y * width + x1); i < end; i += 3) {
          r += data[i];
          g += data[i + 1];
          b += data[i + 2];
        }
        acc[3 * lx] += r;
        acc[3 * lx + 1] += g;
        acc[3 * lx + 2] += b;
      }
    }
    for (let lx = 0; lx < lowWidth; lx++) {
      const inv = 1 / ((xs[lx + 1] - xs[lx]) * (y1 - y0));
      const o = 3 * (ly * lowWidth + lx);
      out[o] = Math.round(acc[3 * lx] * inv);
      out[o + 1] = Math.round(acc[3 * lx + 1] * inv);
      out[o + 2] = Math.round(acc[3 * lx + 2] * inv);
    }
  }
  return { width: lowWidth, height: lowHeight, data: out };
}

/** A rectangle of low-resolution pixels: columns left..right-1, rows top..bottom-1. */
export interface LowRegion {
  left: number;
  top: number;
  right: number;
  bottom: number;
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
  countBlocks(trimap, width, height, lowWidth, lowHeight, (i, fg, bg, area) => (out[i] = fg === area ? 255 : bg === area ? 0 : 128), region);
  return out;
}

/** RGB bytes to three 0..1 float planes. */
export function rgbPlanes(image: RgbImage): [Float32Array, Float32Array, Float32Array] {
  const n = image.width * image.height;
  const r = new Float32Array(n);
  const g = new Float32Array(n);
  const b = new Float32Array(n);
  const { data } = image;
  const s = 1 / 255;
  for (let i = 0; i < n; i++) {
    r[i] = data[3 * i] * s;
    g[i] = data[3 * i + 1] * s;
    b[i] = data[3 * i + 2] * s;
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
