import { describe, expect, it } from 'vitest';
import { MattingError, fuseShm, fuseTrimap, shmProbabilitiesFromTrimap } from '../../../src/engine/matting';

describe('SHM fusion', () => {
  it('computes alpha = Fs + Us * alpha_r, clamped and NaN-free', () => {
    const fs = Float32Array.of(0, 0.2, 0.9, 0.8, Number.NaN);
    const us = Float32Array.of(1, 0.5, 0.1, 0.9, 0);
    const ar = Float32Array.of(0.3, 0.6, 0, 1, 0.5);
    const out = Array.from(fuseShm(fs, us, ar));
    expect(out[0]).toBeCloseTo(0.3, 6);
    expect(out[1]).toBeCloseTo(0.5, 6);
    expect(out[2]).toBeCloseTo(0.9, 6);
    expect(out[3]).toBe(1);
    expect(out[4]).toBe(0);
  });

  it('for a hard trimap keeps known pixels and takes alpha_r in the unknown band', () => {
    const trimap = Uint8Array.of(0, 128, 255, 77);
    const { fs, us } = shmProbabilitiesFromTrimap(trimap);
    expect(Array.from(fs)).toEqual([0, 0, 1, 0]);
    expect(Array.from(us)).toEqual([0, 1, 0, 1]);
    expect(Array.from(fuseTrimap(trimap, Float32Array.of(0.7, 0.25, 0.1, 0.5)))).toEqual([0, 0.25, 1, 0.5]);
  });

  it('rejects mismatched sizes with a typed error', () => {
    expect(() => fuseShm(new Float32Array(2), new Float32Array(3), new Float32Array(2))).toThrow(MattingError);
  });
});
