import { afterAll, describe, expect, it } from 'vitest';
import { estimateForeground } from '../../../src/engine/matting/foreground/foreground-ml';
import { makeTrimap } from '../../../src/engine/matting/trimap/trimap';
import { PipelinePool } from '../../../src/engine/pipeline/pipeline-pool';

const W = 96;
const H = 80;
// A disc of probability ~1 on a noisy background, and a soft-edged alpha to decontaminate against.
const prob = new Float32Array(W * H);
const alpha = new Float32Array(W * H);
const rgb = new Uint8Array(W * H * 3);
for (let y = 0; y < H; y++) {
  for (let x = 0; x < W; x++) {
    const i = y * W + x;
    const d = Math.hypot(x - 48, y - 40);
    prob[i] = Math.min(1, Math.max(0, (30 - d) / 6 + 0.5));
    alpha[i] = Math.min(1, Math.max(0, (28 - d) / 4));
    rgb[i * 3] = (x * 7 + y * 3) & 255;
    rgb[i * 3 + 1] = (x * 13) & 255;
    rgb[i * 3 + 2] = d < 28 ? 220 : 30;
  }
}
const image = { width: W, height: H, data: rgb };

describe('PipelinePool', () => {
  const pool = new PipelinePool(2);
  afterAll(() => pool.close());

  it('gives the same trimap and foreground colours as the functions run in-thread', async () => {
    const [trimap, fg] = await Promise.all([pool.makeTrimap(prob, W, H, { band: 3 }), pool.estimateForeground(image, alpha)]);
    expect(trimap).toEqual(makeTrimap(prob, W, H, { band: 3 }));
    expect(fg).toEqual(estimateForeground(image, alpha));
    const counts = { 0: 0, 128: 0, 255: 0 } as Record<number, number>;
    for (const v of trimap) counts[v]++;
    expect(counts[0] * counts[128] * counts[255]).toBeGreaterThan(0);
  });

  it('passes matting errors through with their code', async () => {
    await expect(pool.makeTrimap(prob, W, H, { band: -1 })).rejects.toMatchObject({ name: 'MattingError', code: 'INVALID_OPTIONS' });
  });

  it('rejects with an AbortError when cancelled, and keeps working afterwards', async () => {
    const big = { width: 1024, height: 1024, data: new Uint8Array(1024 * 1024 * 3) };
    const ac = new AbortController();
    const running = pool.estimateForeground(big, new Float32Array(1024 * 1024).fill(0.5), ac.signal);
    setTimeout(() => ac.abort(), 20);
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(await pool.makeTrimap(prob, W, H, { band: 3 })).toHaveLength(W * H);
  });
});

describe('PipelinePool.prestart with the foreground warm-up', () => {
  const warm = new PipelinePool(2);
  const cold = new PipelinePool(1);
  afterAll(() => Promise.all([warm.close(), cold.close()]));

  it('each new thread estimates two synthetic composites first, for real, and gives a cold thread’s colours', async () => {
    warm.prestart(2, true);
    const reports = await warm.warmedUp();
    expect(reports).toHaveLength(2);
    for (const r of reports) {
      expect(r).toMatchObject({ estimates: 2 });
      // The composites' own foreground colours where alpha > 0.5, within 16 levels (10 measured);
      // the image itself is up to (1 - alpha)·|B - F|, about 75 levels, off there.
      expect(r?.maxError).toBeLessThanOrEqual(16);
      expect(r?.ms).toBeGreaterThan(0);
    }
    const [fromWarm, fromCold] = await Promise.all([warm.estimateForeground(image, alpha), cold.estimateForeground(image, alpha)]);
    expect(Buffer.from(fromWarm).equals(Buffer.from(fromCold))).toBe(true);
    await expect(cold.warmedUp()).resolves.toEqual([]);
  });
});
