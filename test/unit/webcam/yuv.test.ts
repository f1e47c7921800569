import { describe, expect, it } from 'vitest';
import { i420ToInterleaved } from '../../../src/shared/yuv';
import { frameToRgb, frameToRgba } from '../../../src/engine/webcam/pixels';

/** BT.601 limited range, in floating point: the reference the fixed-point conversion must match. */
function reference(y: number, u: number, v: number): [number, number, number] {
  const c = 1.164 * (y - 16);
  const clamp = (x: number) => Math.min(255, Math.max(0, Math.round(x)));
  return [clamp(c + 1.596 * (v - 128)), clamp(c - 0.392 * (u - 128) - 0.813 * (v - 128)), clamp(c + 2.017 * (u - 128))];
}

describe('I420 to RGB', () => {
  it('matches the floating-point BT.601 conversion within one level, over the whole Y, U, V range', () => {
    // 256 x 2 frame: Y runs 0..255 along x, each 2x2 block has its own U and V.
    const width = 256;
    const height = 2;
    const cw = width / 2;
    const i420 = new Uint8Array(width * height + 2 * cw);
    for (let x = 0; x < width; x++) i420[x] = i420[width + x] = x;
    for (let i = 0; i < cw; i++) {
      i420[width * height + i] = (i * 37) & 255;
      i420[width * height + cw + i] = (i * 91 + 13) & 255;
    }
    const rgba = new Uint8ClampedArray(width * height * 4);
    i420ToInterleaved(i420, width, height, 4, rgba);
    let worst = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const ci = x >> 1;
        const want = reference(x, i420[width * height + ci], i420[width * height + cw + ci]);
        const o = 4 * (y * width + x);
        for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(rgba[o + k] - want[k]));
        expect(rgba[o + 3]).toBe(255);
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('reads odd sizes with chroma planes rounded up, and gives the engine RGB and the snapshot RGBA', () => {
    // 3x1: Y 3 bytes, U and V 2 bytes each; the third pixel takes the second chroma sample.
    const i420 = Uint8Array.of(235, 16, 126, 128, 240, 128, 110);
    const rgb = frameToRgb('i420', i420, 3, 1).data;
    expect([...rgb.subarray(0, 6)]).toEqual([255, 255, 255, 0, 0, 0]);
    expect([...rgb.subarray(6)]).toEqual(reference(126, 240, 110));
    expect([...frameToRgba('i420', i420, 3, 1)]).toEqual([255, 255, 255, 255, 0, 0, 0, 255, ...reference(126, 240, 110), 255]);
    expect(() => i420ToInterleaved(i420.subarray(0, 6), 3, 1, 3, new Uint8Array(9))).toThrow(RangeError);
  });
});
