import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeRgbaPng } from '../../../src/engine/imaging/encode';

describe('encodeRgbaPng (the cut-outs the pipeline caches and exports)', () => {
  it('stores straight RGB and alpha losslessly as a 4-channel sRGB PNG', async () => {
    const w = 37;
    const h = 23;
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 31) & 255);
    const alpha = Uint8Array.from({ length: w * h }, (_, i) => (i * 7) & 255);
    const png = await encodeRgbaPng(rgb, alpha, w, h);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([w, h, 4]);
    const back = { rgb: new Uint8Array(w * h * 3), alpha: new Uint8Array(w * h) };
    for (let i = 0; i < w * h; i++) {
      back.rgb.set(data.subarray(i * 4, i * 4 + 3), i * 3);
      back.alpha[i] = data[i * 4 + 3];
    }
    expect(back.rgb).toEqual(rgb);
    expect(back.alpha).toEqual(alpha);
  });

  it('rejects planes that do not match the size', async () => {
    await expect(encodeRgbaPng(new Uint8Array(12), new Uint8Array(3), 2, 2)).rejects.toThrow(RangeError);
  });
});
