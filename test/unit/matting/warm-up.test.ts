/**
 * The matting threads' warm-up (src/engine/matting/workers/warm-up.ts): a prestarted thread
 * solves small synthetic photos through the refinement's code before its first job, reports what
 * it solved, stops when a job comes, and changes no result.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MattingPool, refineAlpha } from '../../../src/engine/matting';
import { warmUpComposite, warmUpRefine } from '../../../src/engine/matting/workers/warm-up';
import { makeComposite } from './composites';

const photo = makeComposite(160, 144, 5);
const options = { method: 'closed-form' } as const;

describe('warmUpRefine', () => {
  it('solves its composites through the working-resolution path, close to their true alpha', async () => {
    const report = await warmUpRefine('closed-form', new AbortController().signal);
    expect(report).toMatchObject({ solves: 2, stopped: false });
    expect(report.error).toBeUndefined();
    const { trimap } = warmUpComposite(128, 0);
    expect(report.unknownPixels).toBe(2 * trimap.filter((t) => t === 128).length);
    // Solved at 0.005 MP and upsampled: a real matte of the disc, not a stub (0.05 measured).
    expect(report.maxAlphaError).toBeGreaterThan(0);
    expect(report.maxAlphaError).toBeLessThan(0.15);
  });

  it('stops before solving when a job has already come', async () => {
    const report = await warmUpRefine('closed-form', AbortSignal.abort());
    expect(report).toMatchObject({ solves: 0, stopped: true });
  });

  it('reports a failure instead of throwing', async () => {
    const report = await warmUpRefine('no-such-method' as 'closed-form', new AbortController().signal);
    expect(report).toMatchObject({ solves: 0, stopped: false, error: expect.stringMatching(/no-such-method/) });
  });
});

describe('MattingPool.prestart with a warm-up', () => {
  const cold = new MattingPool({ size: 1 });
  const warm = new MattingPool({ size: 2 });
  afterAll(() => Promise.all([cold.close(), warm.close()]));

  it('warms each thread it starts, and the alphas afterwards are the cold threads’ alphas bit for bit', async () => {
    warm.prestart(2, 'closed-form');
    const reports = await warm.warmedUp();
    expect(reports).toHaveLength(2);
    for (const r of reports) expect(r).toMatchObject({ solves: 2, stopped: false, unknownPixels: expect.any(Number) as number });
    expect(warm.threads).toBe(2);

    const [a, b] = await Promise.all([warm.refine(photo.image, photo.trimap, options), warm.refine(photo.image, photo.trimap, options)]);
    const reference = await cold.refine(photo.image, photo.trimap, options);
    expect(Buffer.from(a.buffer).equals(Buffer.from(reference.buffer))).toBe(true);
    expect(Buffer.from(b.buffer).equals(Buffer.from(reference.buffer))).toBe(true);
    // And the same as on this thread.
    const local = await refineAlpha(photo.image, photo.trimap, options);
    expect(Buffer.from(a.buffer).equals(Buffer.from(local.buffer))).toBe(true);
  });

  it('a job sent at once is served with its own alpha, and the warm-up still reports', async () => {
    const pool = new MattingPool({ size: 1 });
    try {
      pool.prestart(1, 'closed-form');
      const alpha = await pool.refine(photo.image, photo.trimap, options);
      const local = await refineAlpha(photo.image, photo.trimap, options);
      expect(Buffer.from(alpha.buffer).equals(Buffer.from(local.buffer))).toBe(true);
      // The job came before the warm-up's first step or during it: it stopped, or it had ended.
      const [report] = await pool.warmedUp();
      expect(report?.stopped === true || report?.solves === 2).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('without a method it starts threads and warms nothing', async () => {
    const pool = new MattingPool({ size: 1 });
    try {
      pool.prestart(1);
      expect(pool.threads).toBe(1);
      await expect(pool.warmedUp()).resolves.toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('a pool closed during the warm-up reports no warm-up for the ended thread', async () => {
    const pool = new MattingPool({ size: 1 });
    pool.prestart(1, 'closed-form');
    await pool.close();
    const reports = await pool.warmedUp();
    expect(reports).toHaveLength(1);
    // Ended before it answered (null), or answered just before it ended.
    expect(reports[0] === null || reports[0].solves >= 0).toBe(true);
    expect(pool.threads).toBe(0);
  });
});
