import type { RgbImage } from '../imaging/raster';
import type { Planes } from '../matting/filters/guided-filter';
import type { PixelFormat } from '../../shared/webcam';
import { i420ToInterleaved } from '../../shared/yuv';

/** Canvas RGBA → interleaved RGB (the camera's alpha channel is always opaque). */
export function rgbaToRgb(rgba: Uint8Array, width: number, height: number, out: Uint8Array = new Uint8Array(width * height * 3)): RgbImage {
  const n = width * height;
  for (let i = 0, j = 0, k = 0; i < n; i++, j += 4, k += 3) {
    out[k] = rgba[j];
    out[k + 1] = rgba[j + 1];
    out[k + 2] = rgba[j + 2];
  }
  return { width, height, data: out };
}

/** A frame as the page sent it (RGBA or I420) → interleaved RGB. */
export function frameToRgb(format: PixelFormat, pixels: Uint8Array, width: number, height: number, out: Uint8Array = new Uint8Array(width * height * 3)): RgbImage {
  if (format === 'rgba') return rgbaToRgb(pixels, width, height, out);
  i420ToInterleaved(pixels, width, height, 3, out);
  return { width, height, data: out };
}

/** A frame as the page sent it → RGBA (what a snapshot saves). */
export function frameToRgba(format: PixelFormat, pixels: Uint8Array, width: number, height: number): Uint8Array {
  if (format === 'rgba') return pixels;
  const out = new Uint8Array(width * height * 4);
  i420ToInterleaved(pixels, width, height, 4, out);
  return out;
}

/** 8-bit RGB → three float planes in 0..1, the guided filter's guide. */
export function toPlanes(image: RgbImage): Planes {
  const n = image.width * image.height;
  const planes: Planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const s = 1 / 255;
  for (let i = 0, k = 0; i < n; i++, k += 3) {
    planes[0][i] = image.data[k] * s;
    planes[1][i] = image.data[k + 1] * s;
    planes[2][i] = image.data[k + 2] * s;
  }
  return planes;
}

/** 0..1 opacities → one byte per pixel. */
export function quantizeAlpha(alpha: Float32Array, out: Uint8Array = new Uint8Array(alpha.length)): Uint8Array {
  for (let i = 0; i < alpha.length; i++) {
    const v = alpha[i];
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : (v * 255 + 0.5) | 0;
  }
  return out;
}

/** Raises the contrast of a soft probability around 0.5, so the filter starts from a decided mask. */
export function sharpen(prob: Float32Array, gain: number): Float32Array {
  if (gain === 1) return prob;
  for (let i = 0; i < prob.length; i++) {
    const v = (prob[i] - 0.5) * gain + 0.5;
    prob[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return prob;
}
