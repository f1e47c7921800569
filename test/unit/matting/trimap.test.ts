import { describe, expect, it } from 'vitest';
import { MattingError, dilate, erode, makeTrimap, unknownMask } from '../../../src/engine/matting';

const count = (t: Uint8Array, v: number): number => t.reduce((n, x) => n + (x === v ? 1 : 0), 0);

describe('makeTrimap', () => {
  it('erodes and dilates a disc-shaped mask by an elliptical element of the given radius', () => {
    const w = 60;
    const h = 60;
    const prob = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) prob[y * w + x] = Math.hypot(x - 30, y - 30) <= 15 ? 0.9 : 0.1;
    const trimap = makeTrimap(prob, w, h, { band: 5 });
    // Foreground is the disc of radius ~10, background outside ~20: areas of discs.
    expect(count(trimap, 255)).toBeGreaterThan(Math.PI * 9.5 ** 2);
    expect(count(trimap, 255)).toBeLessThan(Math.PI * 10.5 ** 2);
    expect(count(trimap, 0)).toBeGreaterThan(w * h - Math.PI * 20.5 ** 2);
    expect(count(trimap, 0)).toBeLessThan(w * h - Math.PI * 19.5 ** 2);
    expect(count(trimap, 128) + count(trimap, 0) + count(trimap, 255)).toBe(w * h);
    expect(trimap[30 * w + 30]).toBe(255);
    expect(trimap[30 * w + 45]).toBe(128);
    expect(trimap[0]).toBe(0);
  });

  it('takes the band as a percentage of the longer side and reads a 0..255 mask', () => {
    const w = 200;
    const h = 100;
    const mask = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < 100; x++) mask[y * w + x] = 255;
    const trimap = makeTrimap(mask, w, h, { band: '2%' }); // 4 px each side of the edge at x = 100
    const row = trimap.subarray(50 * w, 51 * w);
    expect(Array.from(row.subarray(94, 106))).toEqual([255, 255, 128, 128, 128, 128, 128, 128, 128, 128, 0, 0]);
  });

  it('makes a dilation by a disc: a single pixel grows to a disc of area ~ pi r^2', () => {
    const w = 41;
    const m = new Uint8Array(w * w);
    m[20 * w + 20] = 1;
    const d = dilate(m, w, w, 8);
    expect(count(d, 1)).toBeGreaterThan(Math.PI * 7.5 ** 2);
    expect(count(d, 1)).toBeLessThan(Math.PI * 8.5 ** 2);
    expect(count(erode(d, w, w, 8), 1)).toBe(1);
  });

  it('marks uncertain probabilities as unknown and never lets NaN through', () => {
    const prob = Float32Array.from([0, 0.45, 0.55, 1, Number.NaN, 0.2]);
    const trimap = makeTrimap(prob, 6, 1, { band: 0, uncertain: [0.3, 0.7] });
    expect(Array.from(trimap)).toEqual([0, 128, 128, 255, 0, 0]);
    expect(Array.from(unknownMask(trimap))).toEqual([0, 1, 1, 0, 0, 0]);
  });

  it('rejects a map of the wrong size and a bad band with a typed error', () => {
    expect(() => makeTrimap(new Float32Array(5), 2, 2)).toThrow(MattingError);
    expect(() => makeTrimap(new Float32Array(4), 2, 2, { band: -1 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => makeTrimap(new Float32Array(4), 2, 2, { band: 'x%' as `${number}%` })).toThrow(MattingError);
  });
});
