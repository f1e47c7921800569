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
