import type { Alpha, RgbImage, Trimap } from '../imaging/raster';
import { MattingError } from './errors';

export function assertImage(image: RgbImage): void {
  const { width, height, data } = image ?? ({} as RgbImage);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new MattingError('INVALID_IMAGE', `Image size must be positive integers, got ${width}x${height}`);
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * 3) {
    throw new MattingError('INVALID_IMAGE', `Image data must be ${width * height * 3} RGB bytes, got ${data?.length}`);
  }
}

export function assertTrimap(trimap: Trimap, width: number, height: number): void {
  if (!(trimap instanceof Uint8Array) || trimap.length !== width * height) {
    throw new MattingError('INVALID_TRIMAP', `Trimap must be ${width * height} bytes, got ${trimap?.length}`);
  }
}

export function assertPlane(plane: Float32Array | Uint8Array, width: number, height: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new MattingError('INVALID_IMAGE', `Size must be positive integers, got ${width}x${height}`);
  }
  if (plane.length !== width * height) {
    throw new MattingError('INVALID_OPTIONS', `${what} must have ${width * height} values, got ${plane.length}`);
  }
}

export const isKnown = (t: number): boolean => t === 0 || t === 255;

export interface TrimapCounts {
  foreground: number;
  background: number;
  unknown: number;
}

export function countTrimap(trimap: Trimap): TrimapCounts {
  let foreground = 0;
  let background = 0;
  for (let i = 0; i < trimap.length; i++) {
    const t = trimap[i];
    if (t === 255) foreground++;
    else if (t === 0) background++;
  }
  return { foreground, background, unknown: trimap.length - foreground - background };
}

/** Known pixels at 0/1, unknown pixels at `fill`. */
export function alphaFromTrimap(trimap: Trimap, fill: number): Alpha {
  const alpha = new Float32Array(trimap.length);
  for (let i = 0; i < trimap.length; i++) {
    const t = trimap[i];
    alpha[i] = t === 255 ? 1 : t === 0 ? 0 : fill;
  }
  return alpha;
}

/** Clamp to 0..1, map NaN to `fallback`, and pin known trimap pixels. */
export function finishAlpha(alpha: Alpha, trimap: Trimap, fallback = 0.5): Alpha {
  for (let i = 0; i < alpha.length; i++) {
    const t = trimap[i];
    if (t === 255) alpha[i] = 1;
    else if (t === 0) alpha[i] = 0;
    else {
      const a = alpha[i];
      alpha[i] = a !== a ? fallback : a < 0 ? 0 : a > 1 ? 1 : a;
    }
  }
  return alpha;
}
