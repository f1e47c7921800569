import { describe, expect, it } from 'vitest';
import { bandTrimap, enlargeTrimap } from '../../../src/engine/webcam/band';
import { quantizeAlpha, rgbaToRgb, sharpen } from '../../../src/engine/webcam/pixels';

describe('band trimap', () => {
  it('keeps confident interiors known and marks a band around the edge unknown', () => {
    const w = 40;
    const h = 20;
    const prob = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) prob[y * w + x] = x < 20 ? 1 : 0;
    const t = bandTrimap(prob, w, h, 3);
    const row = [...t.subarray(10 * w, 11 * w)];
    expect(row.slice(0, 16).every((v) => v === 255)).toBe(true);
    expect(row.slice(17, 23).every((v) => v === 128)).toBe(true);
    expect(row.slice(24).every((v) => v === 0)).toBe(true);
  });

  it('marks everything unknown when nothing is confident', () => {
    const t = bandTrimap(new Float32Array(25).fill(0.5), 5, 5, 1);
    expect(t.every((v) => v === 128)).toBe(true);
  });

  it('enlarges by nearest neighbour', () => {
    const big = enlargeTrimap(Uint8Array.of(0, 255, 128, 0), 2, 2, 4, 4);
    expect([...big]).toEqual([0, 0, 255, 255, 0, 0, 255, 255, 128, 128, 0, 0, 128, 128, 0, 0]);
  });
});

describe('pixel helpers', () => {
  it('drops the alpha channel of RGBA', () => {
    expect([...rgbaToRgb(Uint8Array.of(1, 2, 3, 255, 4, 5, 6, 255), 2, 1).data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('quantises opacities with rounding and clamping', () => {
    expect([...quantizeAlpha(Float32Array.of(-0.5, 0, 0.5, 1, 2))]).toEqual([0, 0, 128, 255, 255]);
  });

  it('sharpens around 0.5 and clamps', () => {
    expect([...sharpen(Float32Array.of(0.5, 0.6, 0.9, 0.1), 2)].map((v) => +v.toFixed(3))).toEqual([0.5, 0.7, 1, 0]);
  });
});
