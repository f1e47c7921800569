import type { RgbImage } from '../imaging/raster';
import { downscaleRgb } from '../matting/resample';

/** The image with its longer side at most `side` (area average; the image itself when already small). */
export function workingImage(image: RgbImage, side: number): RgbImage {
  const scale = Math.min(1, side / Math.max(image.width, image.height));
  if (scale === 1) return image;
  return downscaleRgb(image, Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)));
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
