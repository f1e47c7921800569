import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bestCheckpoint } from '../../../src/engine/training/train-job';
import { tempDir } from '../../fixtures/make-fixtures';

describe('bestCheckpoint', () => {
  it('picks the epoch with the lowest validation SAD whose checkpoint exists; a retrained epoch counts once, as last trained', () => {
    const dir = tempDir('shm-ckpt-');
    for (const e of [1, 2, 3, 5]) fs.writeFileSync(path.join(dir, `ckpt_epoch_000${e}.pth`), '');
    const best = bestCheckpoint(
      [
        { event: 'validation', epoch: 1, sad: 3 },
        { event: 'validation', epoch: 2, sad: 1 },
        { event: 'validation', epoch: 3, sad: 2 },
        // Epoch 2 trained again after a resume: this is its checkpoint now.
        { event: 'validation', epoch: 2, sad: 2.5 },
        // No checkpoint of epoch 4 (not saved): not a candidate.
        { event: 'validation', epoch: 4, sad: 0.5 },
        { event: 'validation', epoch: 5, sad: Number.NaN },
      ],
      dir,
    );
    expect(best).toEqual({ path: path.join(dir, 'ckpt_epoch_0003.pth'), epoch: 3, sad: 2 });
  });

  it('is undefined without validation', () => {
    expect(bestCheckpoint([{ event: 'step', global_step: 1, loss: 1 }], tempDir('shm-ckpt-'))).toBeUndefined();
  });
});
