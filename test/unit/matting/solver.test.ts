import { describe, expect, it } from 'vitest';
import { closedFormAlpha, preconditionerIds } from '../../../src/engine/matting';
import { makeComposite } from './composites';

// Regression baselines measured on the 64x64 composite (1639 unknown pixels), tolerance 1e-4.
// A change of more than ~10 % means the Laplacian, the preconditioner or CG changed behaviour.
const BASELINE = { none: 200, jacobi: 219, ichol: 30 } as const;

describe('closed-form solver', () => {
  const c = makeComposite(64, 64);

  it.each(preconditionerIds)('converges with the %s preconditioner in the baseline iteration count', async (id) => {
    const { stats, alpha } = await closedFormAlpha(c.image, c.trimap, { preconditioner: id, tolerance: 1e-4 });
    expect(stats.converged).toBe(true);
    expect(stats.unknown).toBe(1639);
    expect(stats.iterations).toBeGreaterThanOrEqual(Math.floor(BASELINE[id] * 0.9));
    expect(stats.iterations).toBeLessThanOrEqual(Math.ceil(BASELINE[id] * 1.1));
    expect(alpha.every((a) => a >= 0 && a <= 1)).toBe(true);
  });

  it('reaches the same matte whatever the preconditioner, and incomplete Cholesky needs far fewer iterations', async () => {
    const runs = await Promise.all(preconditionerIds.map((id) => closedFormAlpha(c.image, c.trimap, { preconditioner: id, tolerance: 1e-6 })));
    const [none, jacobi, ichol] = runs;
    let maxDiff = 0;
    for (let i = 0; i < none.alpha.length; i++) maxDiff = Math.max(maxDiff, Math.abs(none.alpha[i] - ichol.alpha[i]), Math.abs(jacobi.alpha[i] - ichol.alpha[i]));
    expect(maxDiff).toBeLessThan(1e-3);
    expect(ichol.stats.iterations * 5).toBeLessThan(jacobi.stats.iterations);
  });

  it('stops at the iteration cap and says it did not converge', async () => {
    const { stats, alpha } = await closedFormAlpha(c.image, c.trimap, { preconditioner: 'jacobi', maxIterations: 5 });
    expect(stats.iterations).toBe(5);
    expect(stats.converged).toBe(false);
    expect(alpha.some((a) => Number.isNaN(a))).toBe(false);
  });

  it('reports progress and stops with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = closedFormAlpha(c.image, c.trimap, { preconditioner: 'none', tolerance: 1e-12, maxIterations: 1e6 }, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.fraction);
        if (p.stage === 'solve' && seen.length > 3) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.length).toBeGreaterThan(3);
  });
});
