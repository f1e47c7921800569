import { describe, expect, it } from 'vitest';
import { matteImage } from '../../../src/engine/pipeline/matte';
import type { PipelineEngine } from '../../../src/engine/pipeline/types';

// A refiner that misbehaves on purpose: values at known pixels, out of range and NaN.
const refined = Float32Array.of(0.3, 0.7, 1.2, -0.1, Number.NaN, 0.5, 0.999, 0.001);
const trimap = Uint8Array.of(255, 0, 128, 128, 128, 128, 128, 128);

function engine(seen: { alpha?: Float32Array }): PipelineEngine {
  return {
    segment: () => Promise.reject(new Error('not used')),
    makeTrimap: () => Promise.reject(new Error('not used')),
    refine: () => Promise.resolve({ alpha: Float32Array.from(refined) }),
    estimateForeground: (image, alpha) => {
      seen.alpha = Float32Array.from(alpha);
      return Promise.resolve(new Uint8Array(image.data.length).fill(7));
    },
  };
}

describe('matteImage', () => {
  it('pins known pixels, clamps the refiner output, and gives the same alpha to the foreground stage and the bytes', async () => {
    const seen: { alpha?: Float32Array } = {};
    const image = { width: 4, height: 2, data: new Uint8Array(24).fill(100) };
    const r = await matteImage({ image, trimap, refine: 'guided', modelId: 'x' }, engine(seen));
    expect(Array.from(r.alpha)).toEqual([255, 0, 255, 0, 0, 128, 255, 0]);
    expect(Array.from(seen.alpha ?? [])).toEqual([1, 0, 1, 0, 0, 0.5, Math.fround(0.999), Math.fround(0.001)]);
    expect(r.foreground?.[0]).toBe(7);
    expect(r.timings.refine).toBeGreaterThanOrEqual(0);
  });
});
