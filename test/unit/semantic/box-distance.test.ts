import { describe, expect, it } from 'vitest';
import { squaredDistanceTo } from '../../../src/engine/matting/trimap/morphology';
import { maskBox, squaredDistanceInBox } from '../../../src/engine/semantic/box-distance';
import { mulberry32 } from '../../helpers/random';

describe('maskBox and squaredDistanceInBox', () => {
  it('box the set pixels grown within the frame, and none for an empty mask', () => {
    const mask = new Uint8Array(20 * 10);
    expect(maskBox(mask, 20, 10, 3)).toBeNull();
    mask[4 * 20 + 6] = 1;
    mask[5 * 20 + 18] = 1;
    expect(maskBox(mask, 20, 10, 2.5)).toEqual({ x0: 3, y0: 1, x1: 19, y1: 8 });
  });

  it('equal the whole frame distance within r of a box grown by r, and are never smaller elsewhere', () => {
    const random = mulberry32(5);
    for (let round = 0; round < 20; round++) {
      const w = 30 + Math.floor(random() * 60);
      const h = 20 + Math.floor(random() * 60);
      const seeds = Uint8Array.from({ length: w * h }, () => (random() < 0.01 ? 1 : 0));
      const where = Uint8Array.from({ length: w * h }, () => (random() < 0.002 ? 1 : 0));
      const r = 1 + random() * 8;
      const box = maskBox(where, w, h, r);
      if (!box) continue;
      const full = squaredDistanceTo(w, h, seeds);
      const inBox = squaredDistanceInBox(seeds, w, box);
      const bw = box.x1 - box.x0 + 1;
      let wrong = 0;
      for (let y = box.y0; y <= box.y1; y++) {
        for (let x = box.x0; x <= box.x1; x++) {
          const truth = full[y * w + x];
          const d = inBox[(y - box.y0) * bw + x - box.x0];
          if (d < truth || (where[y * w + x] && truth <= r * r && d !== truth)) wrong++;
        }
      }
      expect(wrong).toBe(0);
    }
  });
});
