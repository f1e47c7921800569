import type { RgbImage } from '../imaging/raster';
import { resizeBilinear } from '../inference/resize';

/** Size of a map of the image's frame with its longer side at most `side`. */
export function workingSize(width: number, height: number, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * The image with its longer side at most `side` (the image itself when already small). Bilinear:
 * on the dev portraits it gave the same SAD as an area average (10.208 vs 10.201 in
 * bench/semantic-eval.ts) at a fraction of the cost (it reads two source rows per row).
 */
export function workingImage(image: RgbImage, side: number): RgbImage {
  const { width, height } = workingSize(image.width, image.height, side);
  if (width === image.width && height === image.height) return image;
  const f = resizeBilinear(image.data, image.width, image.height, 3, width, height);
  const data = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) data[i] = Math.round(f[i]);
  return { width, height, data };
}

// The segmenter's views and the band's plan both read the downscaled photo: made once per image.
const cache = new WeakMap<Uint8Array, Map<string, RgbImage>>();

/** workingImage, remembered for as long as the image's pixels live. */
export function cachedWorkingImage(image: RgbImage, side: number): RgbImage {
  let sizes = cache.get(image.data);
  if (!sizes) cache.set(image.data, (sizes = new Map()));
  const key = `${image.width}x${image.height}@${side}`;
  let small = sizes.get(key);
  if (!small) sizes.set(key, (small = workingImage(image, side)));
  return small;
}

/**
 * For each column and row of a full-size map, the nearest pixel of a smaller map covering the
 * same frame: full (x, y) reads small[rows[y] + cols[x]].
 */
export function nearestLookup(fullW: number, fullH: number, smallW: number, smallH: number): { cols: Int32Array; rows: Int32Array } {
  const cols = new Int32Array(fullW);
  for (let x = 0; x < fullW; x++) cols[x] = Math.min(smallW - 1, Math.floor(((x + 0.5) * smallW) / fullW));
  const rows = new Int32Array(fullH);
  for (let y = 0; y < fullH; y++) rows[y] = Math.min(smallH - 1, Math.floor(((y + 0.5) * smallH) / fullH)) * smallW;
  return { cols, rows };
}
