import { describe, expect, it } from 'vitest';
import {
  MattingError,
  estimateForeground,
  makeTrimap,
  refineAlpha,
  refinementMethods,
  sad,
  type RefineOptions,
  type RgbImage,
} from '../../../src/engine/matting';

const ids = refinementMethods.map((m) => m.id);
const opts = (id: string): RefineOptions => ({ method: id }) as RefineOptions;

function grey(width: number, height: number, value = 128): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3).fill(value) };
}

function ring(width: number, height: number): Uint8Array {
  // fg centre, unknown ring, bg outside
  const t = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - width / 2, y - height / 2);
      t[y * width + x] = d < width / 5 ? 255 : d < width / 3 ? 128 : 0;
    }
  }
  return t;
}

const finite01 = (a: Float32Array): boolean => a.every((v) => Number.isFinite(v) && v >= 0 && v <= 1);

describe('degenerate input', () => {
  it.each(ids)('%s: no foreground gives alpha 0, no background alpha 1', async (id) => {
    const image = grey(12, 10);
    const noFg = new Uint8Array(120).fill(128);
    noFg.fill(0, 0, 30);
    expect(Array.from(await refineAlpha(image, noFg, opts(id)))).toEqual(new Array(120).fill(0));
    const noBg = new Uint8Array(120).fill(128);
    noBg.fill(255, 0, 30);
    expect(Array.from(await refineAlpha(image, noBg, opts(id)))).toEqual(new Array(120).fill(1));
  });

  it.each(ids)('%s: an all-unknown trimap is a typed error, not a crash', async (id) => {
    await expect(refineAlpha(grey(5, 5), new Uint8Array(25).fill(128), opts(id))).rejects.toMatchObject({ name: 'MattingError', code: 'NO_KNOWN_PIXELS' });
  });

  it.each(ids)('%s: a grey image and tiny images give finite alphas in 0..1', async (id) => {
    expect(finite01(await refineAlpha(grey(32, 32), ring(32, 32), opts(id)))).toBe(true);
    expect(finite01(await refineAlpha(grey(40, 30, 0), ring(40, 30), opts(id)))).toBe(true);
    expect(Array.from(await refineAlpha(grey(1, 1), Uint8Array.of(255), opts(id)))).toEqual([1]);
    const two = await refineAlpha(grey(2, 1), Uint8Array.of(255, 128), opts(id));
    expect(two[0]).toBe(1);
    expect(finite01(two)).toBe(true);
    const thin = await refineAlpha(grey(1, 9), Uint8Array.of(0, 0, 0, 128, 128, 128, 255, 255, 255), opts(id));
    expect(finite01(thin)).toBe(true);
    expect(Array.from(thin.subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('a trimap without unknown pixels is returned as is', async () => {
    const t = Uint8Array.of(0, 255, 255, 0);
    expect(Array.from(await refineAlpha(grey(2, 2), t, { method: 'closed-form' }))).toEqual([0, 1, 1, 0]);
  });

  it('rejects malformed input with typed errors', async () => {
    await expect(refineAlpha({ width: 2, height: 2, data: new Uint8Array(5) }, new Uint8Array(4), { method: 'guided' })).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    await expect(refineAlpha(grey(0, 2), new Uint8Array(0), { method: 'guided' })).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    await expect(refineAlpha(grey(2, 2), new Uint8Array(3), { method: 'guided' })).rejects.toMatchObject({ code: 'INVALID_TRIMAP' });
    await expect(refineAlpha(grey(2, 2), Uint8Array.of(0, 128, 128, 255), { method: 'magic' } as unknown as RefineOptions)).rejects.toBeInstanceOf(MattingError);
    await expect(refineAlpha(grey(2, 2), Uint8Array.of(0, 128, 128, 255), { method: 'guided', maxMegapixels: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('an already-aborted signal throws an AbortError', async () => {
    await expect(refineAlpha(grey(8, 8), ring(8, 8), { method: 'closed-form' }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('trimaps, foreground estimation and metrics survive empty, one-pixel and NaN input', () => {
    expect(Array.from(makeTrimap(new Float32Array(1), 1, 1))).toEqual([0]);
    // The image border is not background: an all-foreground map stays foreground.
    expect(Array.from(makeTrimap(Float32Array.of(1), 1, 1, { band: 3 }))).toEqual([255]);
    expect(Array.from(makeTrimap(new Float32Array(9).fill(1), 3, 3, { band: 0 }))).toEqual(new Array(9).fill(255));
    const f = estimateForeground({ width: 1, height: 1, data: Uint8Array.of(10, 20, 30) }, Float32Array.of(Number.NaN));
    expect(Array.from(f)).toEqual([10, 20, 30]);
    const g = estimateForeground(grey(7, 5), new Float32Array(35).fill(0.5));
    expect(g.every((v) => v === 128)).toBe(true);
    expect(sad(new Float32Array(4), new Float32Array(4), 2, 2, new Uint8Array(4))).toBe(0);
  });
});
