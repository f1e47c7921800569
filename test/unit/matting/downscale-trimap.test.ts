import { describe, expect, it } from 'vitest';
import { downscaleTrimap, downscaleTrimapInto } from '../../../src/engine/matting/resample';

/** A 0/128/255 trimap with blocks of each and mixed borders. */
function trimap(width: number, height: number, seed: number): Uint8Array {
  const t = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const v = (Math.floor(x / 7) * 3 + Math.floor(y / 5) * 5 + seed) % 3;
    t[y * width + x] = v === 0 ? 0 : v === 1 ? 128 : 255;
  }
  return t;
}

describe('downscaleTrimap', () => {
  it('marks a low pixel known only where every source pixel agrees', () => {
    const t = new Uint8Array([255, 255, 0, 0, 255, 255, 0, 128]);
    expect(Array.from(downscaleTrimap(t, 4, 2, 2, 1))).toEqual([255, 128]);
    expect(Array.from(downscaleTrimap(new Uint8Array([0, 0, 0, 0]), 2, 2, 1, 1))).toEqual([0]);
  });

  it('updating only a region after a change gives the same labels as a whole recompute', () => {
    const [w, h, lw, lh] = [97, 61, 40, 25];
    const before = trimap(w, h, 0);
    const low = downscaleTrimap(before, w, h, lw, lh);
    const after = new Uint8Array(before);
    for (let y = 20; y < 34; y++) for (let x = 30; x < 52; x++) after[y * w + x] = 255;
    // The blocks the change touches (x 30..52 → 12..22, y 20..34 → 8..14), with a margin.
    downscaleTrimapInto(low, after, w, h, lw, lh, { left: 11, top: 7, right: 23, bottom: 15 });
    expect(Array.from(low)).toEqual(Array.from(downscaleTrimap(after, w, h, lw, lh)));
  });
});
