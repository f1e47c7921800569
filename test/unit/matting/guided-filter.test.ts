import { describe, expect, it } from 'vitest';
import { guidedCoefficients, guidedFilter, squaredDistanceTo, upsampleWithGuide } from '../../../src/engine/matting';
import { makeBoxFilter } from '../../../src/engine/matting/filters/box-filter';
import { rgbPlanes } from '../../../src/engine/matting/resample';
import { makeComposite } from './composites';

let seed = 7;
const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;

describe('O(N) building blocks', () => {
  it('the box filter equals the brute-force clipped window mean for any size and radius', () => {
    for (const [w, h] of [[1, 1], [3, 2], [7, 5], [20, 9]]) {
      for (const r of [0, 1, 2, 6, 30]) {
        const a = Float32Array.from({ length: w * h }, random);
        const out = makeBoxFilter(w, h)(a, r);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            let s = 0;
            let c = 0;
            for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
              for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                s += a[yy * w + xx];
                c++;
              }
            }
            expect(out[y * w + x]).toBeCloseTo(s / c, 5);
          }
        }
      }
    }
  });

  it('the distance transform is the exact squared Euclidean distance', () => {
    for (const [w, h] of [[1, 1], [5, 3], [17, 33], [40, 21]]) {
      const seeds = Uint8Array.from({ length: w * h }, () => (random() < 0.04 ? 1 : 0));
      const d = squaredDistanceTo(w, h, seeds);
      for (let i = 0; i < w * h; i++) {
        let best = 1e20;
        for (let j = 0; j < w * h; j++) {
          if (seeds[j]) best = Math.min(best, ((i % w) - (j % w)) ** 2 + (Math.floor(i / w) - Math.floor(j / w)) ** 2);
        }
        if (best >= 1e20) expect(d[i]).toBeGreaterThan(1e19);
        else expect(d[i]).toBe(best);
      }
    }
  });

  it('the colour guided filter reproduces an input that is a linear function of the guide', () => {
    const { image } = makeComposite(40, 30);
    const guide = rgbPlanes(image);
    const p = guide[0].map((r, i) => 0.3 * r - 0.2 * guide[1][i] + 0.1 * guide[2][i] + 0.25);
    const q = guidedFilter(guide, p, 40, 30, 3, 1e-8);
    let maxErr = 0;
    for (let i = 0; i < p.length; i++) maxErr = Math.max(maxErr, Math.abs(q[i] - p[i]));
    expect(maxErr).toBeLessThan(2e-3);
  });

  it('upsampling coefficients at scale 1 equals the guided filter, and known trimap pixels stay 0/1', () => {
    const { image, trimap } = makeComposite(40, 30);
    const guide = rgbPlanes(image);
    const p = Float32Array.from(trimap, (t) => t / 255);
    const direct = guidedFilter(guide, p, 40, 30, 2, 1e-3);
    const up = upsampleWithGuide(guidedCoefficients(guide, p, 40, 30, 2, 1e-3), image, trimap);
    for (let i = 0; i < p.length; i++) {
      if (trimap[i] === 255) expect(up[i]).toBe(1);
      else if (trimap[i] === 0) expect(up[i]).toBe(0);
      else expect(up[i]).toBeCloseTo(Math.min(1, Math.max(0, direct[i])), 4);
    }
  });
});
