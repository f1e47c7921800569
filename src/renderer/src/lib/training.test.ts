import { describe, expect, it } from 'vitest';
import type { TrainingRecord } from '../../../shared/contract';
import { chartSeries } from './training.svelte';

const step = (global_step: number, loss: number): TrainingRecord => ({ event: 'step', global_step, loss });

describe('chartSeries', () => {
  it('plots the loss per step and the validation SAD at the end of its epoch, across a resumed run', () => {
    const records: TrainingRecord[] = [
      { event: 'start', steps_per_epoch: 2, start_epoch: 1 },
      step(1, 0.5),
      step(2, 0.4),
      { event: 'epoch', epoch: 1, loss: 0.45 },
      { event: 'validation', epoch: 1, sad: 1.3 },
      { event: 'checkpoint', epoch: 1, path: 'ckpt_epoch_0001.pth' },
      // The run resumed from epoch 1's checkpoint: its steps continue the same axis.
      { event: 'start', steps_per_epoch: 2, start_epoch: 2, resumed_from: 'ckpt_epoch_0001.pth' },
      step(3, 0.3),
      step(4, Number.NaN),
      { event: 'validation', epoch: 2, sad: 1.1 },
    ];
    expect(chartSeries(records)).toEqual({
      train: [
        [1, 0.5],
        [2, 0.4],
        [3, 0.3],
      ],
      val: [
        [2, 1.3],
        [4, 1.1],
      ],
    });
  });

  it('draws nothing before the first step', () => {
    expect(chartSeries([{ event: 'start', steps_per_epoch: 3 }])).toEqual({ train: [], val: [] });
  });
});
