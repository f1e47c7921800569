import { describe, expect, it } from 'vitest';
import { forwardProgress, subProgress } from '../../../src/engine/matting/progress';

describe('refinement progress', () => {
  it('forwardProgress holds the bar where it was when a step reports less (a CG residual rising for an iteration)', () => {
    const seen: number[] = [];
    const ctx = forwardProgress({ onProgress: (p) => seen.push(p.fraction) });
    const solve = subProgress(ctx, 0.2, 0.6);
    for (const f of [0, 0.5, 0.4, 0.45, 0.7, 1]) solve.onProgress?.({ stage: 'solve', fraction: f });
    ctx.onProgress?.({ stage: 'done', fraction: 1 });
    expect(seen.map((f) => +f.toFixed(3))).toEqual([0.2, 0.4, 0.4, 0.4, 0.48, 0.6, 1]);
  });

  it('forwardProgress passes the signal through and adds no callback where there was none', () => {
    const controller = new AbortController();
    const ctx = forwardProgress({ signal: controller.signal });
    expect(ctx.signal).toBe(controller.signal);
    expect(ctx.onProgress).toBeUndefined();
  });
});
