import { describe, expect, it } from 'vitest';
import { makeTrimap, type TrimapOptions } from '../../../src/engine/matting';
import { makeTrimap as referenceTrimap } from '../../../bench/reference/trimap';
import { makeComposite } from './composites';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** A smooth random field (sum of a few random waves and bumps) plus some pixel noise, 0..1. */
function blobs(w: number, h: number, seed: number, noise: number): Float32Array {
  const rand = random(seed);
  const waves = Array.from({ length: 4 }, () => [rand() * 0.3, rand() * 0.3, rand() * 6]);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (const [fx, fy, ph] of waves) v += Math.sin(fx * x + fy * y + ph);
      out[y * w + x] = 0.5 + v / 8 + noise * (rand() - 0.5);
    }
  }
  return out;
}

/** Sparse speckles of the given density. */
function speckles(w: number, h: number, seed: number, density: number): Float32Array {
  const rand = random(seed);
  return Float32Array.from({ length: w * h }, () => (rand() < density ? 1 : 0));
}

function expectSame(prob: Float32Array | Uint8Array, w: number, h: number, options: TrimapOptions = {}): void {
  const got = makeTrimap(prob, w, h, options);
  const want = referenceTrimap(prob, w, h, options);
  let mismatches = 0;
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) mismatches++;
  expect(mismatches).toBe(0);
  expect(got.length).toBe(want.length);
}

const radii: TrimapOptions['band'][] = [0, 0.5, 1, 1.5, Math.SQRT2, 2, 2.3, 3.7, 5, 8, 12.7, 40, 500, '1%', '3%'];

describe('makeTrimap is identical to the distance-transform reference (bench/reference)', () => {
  it.each([
    [1, 0.0],
    [2, 0.1],
    [3, 0.4],
    [4, 1.0],
  ])('on random blobs (seed %i, pixel noise %f) at every band radius', (seed, noise) => {
    for (const [w, h] of [
      [97, 61],
      [64, 64],
      [1, 50],
      [50, 1],
      [3, 2],
    ]) {
      const prob = blobs(w, h, seed, noise);
      for (const band of radii) expectSame(prob, w, h, { band });
    }
  });

  it('on pure noise and sparse speckles, also as 0..255 masks', () => {
    for (const density of [0.5, 0.05, 0.002]) {
      const prob = speckles(80, 70, 9, density);
      const mask = Uint8Array.from(prob, (v) => v * 255);
      for (const band of radii) {
        expectSame(prob, 80, 70, { band });
        expectSame(mask, 80, 70, { band });
      }
    }
  });

  it('on a single class, a one-pixel image and with NaN, thresholds and uncertain bands', () => {
    for (const v of [0, 1]) {
      for (const band of [0, 3, 1e9, 1e11]) expectSame(new Float32Array(30 * 20).fill(v), 30, 20, { band });
      expectSame(Float32Array.of(v), 1, 1, { band: 2 });
    }
    const prob = blobs(60, 45, 5, 0.3);
    prob[100] = Number.NaN;
    expectSame(prob, 60, 45, { band: 4, threshold: 0.3 });
    expectSame(prob, 60, 45, { band: '5%', threshold: 0.7, uncertain: [0.4, 0.6] });
  });

  it('on the synthetic composites', () => {
    for (const [w, h] of [
      [128, 96],
      [321, 240],
    ]) {
      const c = makeComposite(w, h, 3);
      for (const band of [2, 6.5, '1%', '2.5%'] as TrimapOptions['band'][]) {
        expectSame(c.alpha, w, h, { band });
        expectSame(c.alpha, w, h, { band, uncertain: [0.05, 0.95] });
      }
    }
  });
});
