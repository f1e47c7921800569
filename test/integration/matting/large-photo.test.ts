/**
 * A 6 MP photo through the studio's refinement (closed-form defaults): the working solve at 1 MP is
 * a third of the photo's linear resolution, so the band is solved again at full resolution in
 * tiles. On a composite with exact alpha (a camera-like 3 px edge, 1 px strands) the tiled answer
 * must beat the upsampled one it starts from, which is what the studio gave before. (With the
 * semi-transparent veil, whose wide inside is settled at large scale and dominates SAD, the tiles
 * measured 0.987 of the upsampled SAD: no worse, and the unit seam test covers the veil.)
 */
import { describe, expect, it } from 'vitest';
import { refineAlpha, sad, unknownMask } from '../../../src/engine/matting';
import { makeComposite } from '../../unit/matting/composites';

const W = 2832;
const H = 2124;

describe('closed-form on a 6 MP photo', () => {
  it('solves the band at full resolution in tiles, with a lower SAD than the upsampled working solve', async () => {
    const c = makeComposite(W, H, Math.round(0.005 * W), { veil: false, edge: 3 });
    const mask = unknownMask(c.trimap);
    const upsampled = await refineAlpha(c.image, c.trimap, { method: 'closed-form', detail: 'upsample' });
    const stages = new Set<string>();
    const tiled = await refineAlpha(c.image, c.trimap, { method: 'closed-form' }, { onProgress: (p) => stages.add(p.stage) });
    const before = sad(upsampled, c.alpha, W, H, mask);
    const after = sad(tiled, c.alpha, W, H, mask);
    console.log(`6 MP SAD/1000: upsampled working solve ${before.toFixed(2)}, tiles at full resolution ${after.toFixed(2)} (${(after / before).toFixed(3)})`);
    expect(stages).toContain('tiles');
    expect(after).toBeLessThan(before * SAD_RATIO_BOUND);
    // 23 s alone at load 15, 97 s beside the unit suite: room for a slower, busier CI machine.
  }, 600_000);
});

// Measured 0.859 (SAD/1000 10.42 against 12.13); deterministic, so the bound is about the method, not noise.
// Tiles stopped at the whole-image refineTolerance of 5e-4 measured 0.912 and fail it.
const SAD_RATIO_BOUND = 0.9;
