import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RgbImage } from '../../../src/engine/imaging/raster.js';

export const ASTRONAUT = fileURLToPath(new URL('../../fixtures/astronaut-256.png', import.meta.url));

export async function loadRgb(path: string, width?: number, height?: number): Promise<RgbImage> {
  let s = sharp(path).removeAlpha();
  if (width && height) s = s.resize(width, height, { fit: 'fill' });
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Deterministic noise (xorshift32) so failures reproduce. */
export function noiseImage(width: number, height: number, seed = 12345): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = (s >>> 0) & 0xff;
  }
  return { width, height, data };
}

/** Smooth gradients with a bright disc: structured, unlike noise and unlike a photo. */
export function gradientImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const disc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 4) ** 2;
      data[i] = disc ? 230 : Math.round((255 * x) / width);
      data[i + 1] = disc ? 190 : Math.round((255 * y) / height);
      data[i + 2] = disc ? 160 : 128;
    }
  }
  return { width, height, data };
}

/** RGB bytes → the selfie models' input: NHWC float in 0..1. */
export function toUnitFloats(img: RgbImage): Float32Array {
  return Float32Array.from(img.data, (v) => v / 255);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
