import { afterAll, describe, expect, it } from 'vitest';
import { MattingPool, type RefineOptions, refineAlpha } from '../../../src/engine/matting';
import type { RemoteTileSolver } from '../../../src/engine/matting/alpha/refine';
import { TileHelpers } from '../../../src/engine/matting/workers/tile-helpers';
import { makeComposite } from './composites';

// A 600x450 scene solved at 0.06 MP and then in 20 tiles of 100 px (five phases' worth per colour).
const c = makeComposite(600, 450, 6, { veil: false, edge: 3 });
const options: RefineOptions = { method: 'closed-form', maxMegapixels: 0.06, tiles: { tile: 100, margin: 50 } };

describe('tiles of a large photo on helper threads', () => {
  const helpers = new TileHelpers(1);
  const pool = new MattingPool({ size: 1 });
  afterAll(() => pool.close());

  it('a helper thread solves some of the tiles, and the alpha is the same as on one thread', async () => {
    const alone = await refineAlpha(c.image, c.trimap, options);
    let remote = 0;
    const counted: RemoteTileSolver[] = helpers.solvers.map((solve) => (...args) => {
      remote++;
      return solve(...args);
    });
    const shared = await refineAlpha(c.image, c.trimap, options, { tileSolvers: counted });
    expect(remote).toBeGreaterThan(3);
    // The tiles of a phase read no cell of their own phase: any split between threads gives the same numbers.
    expect(shared).toEqual(alone);
  });

  it('the matting pool refines a tiled photo to the same alpha as in-thread, with tile progress', async () => {
    const alone = await refineAlpha(c.image, c.trimap, options);
    const fractions: number[] = [];
    const stages = new Set<string>();
    const pooled = await pool.refine(c.image, c.trimap, options, {
      onProgress: (p) => {
        stages.add(p.stage);
        fractions.push(p.fraction);
      },
    });
    expect(pooled).toEqual(alone);
    expect(stages).toContain('tiles');
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] - 1e-9);
  });

  it('a tile for a method without a tile solver fails with a typed error', async () => {
    const [solve] = helpers.solvers;
    await expect(solve('knn', {}, { width: 8, height: 8, data: new Uint8Array(192) }, new Uint8Array(64), new Float32Array(64))).rejects.toMatchObject({
      name: 'MattingError',
      code: 'UNKNOWN_METHOD',
    });
  });
});
