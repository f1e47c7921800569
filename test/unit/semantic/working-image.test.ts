import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/engine/imaging/raster';
import { resizeBilinear } from '../../../src/engine/inference/resize';
import { downscaleRgb, workingImage } from '../../../src/engine/semantic/working-image';
import { mulberry32 } from '../../helpers/random';

function noise(width: number, height: number, seed: number): RgbImage {
  const random = mulberry32(seed);
  return { width, height, data: Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256)) };
}

describe('downscaleRgb', () => {
  it('gives the bytes of resizeBilinear rounded, for any size', () => {
    for (const [w, h, dw, dh, seed] of [
      [173, 115, 64, 43, 1],
      [97, 211, 40, 87, 2],
      [50, 50, 50, 50, 3],
      [31, 9, 7, 2, 4],
    ]) {
      const image = noise(w, h, seed);
      const expected = Uint8Array.from(resizeBilinear(image.data, w, h, 3, dw, dh), (v) => Math.round(v));
      expect(Buffer.from(downscaleRgb(image, dw, dh)).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it('makes the working image only when the photo is larger than the side', () => {
    const small = noise(40, 30, 5);
    expect(workingImage(small, 64)).toBe(small);
    const large = workingImage(noise(160, 120, 6), 64);
    expect([large.width, large.height]).toEqual([64, 48]);
  });
});
