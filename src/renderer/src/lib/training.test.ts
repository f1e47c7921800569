import { describe, expect, it } from 'vitest';
import type { StudioClient } from '../../../shared/client';
import type { JobProgress, TrainingRecord, TrainingStatus } from '../../../shared/contract';
import { chartSeries, TrainingManager } from './training.svelte';

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

describe('TrainingManager', () => {
  it("starts with the engine's defaults, input size included, and shows the report and its montage when the run is done", async () => {
    const sent: { method: string; params: unknown }[] = [];
    let onDone: ((p: JobProgress) => void) | undefined;
    const report = { before: { modelId: 'selfie-general', refine: 'guided' }, after: { modelId: 'p-tnet', refine: 'p-mnet' }, rows: [], meanBefore: 1, meanAfter: 0.5 };
    const client = {
      call: async (method: string, params: unknown) => {
        sent.push({ method, params });
        if (method === 'training.start') return { jobId: 7, pairId: 'p' };
        if (method === 'training.status') return { jobId: 7, state: 'done', records: [], report, montageRef: 'report/7' } as unknown as TrainingStatus;
        throw new Error(`unexpected ${method}`);
      },
      on: (event: string, fn: (p: JobProgress) => void) => {
        if (event === 'job.done') onDone = fn;
        return () => undefined;
      },
      mediaUrl: (ref: string) => `/media/${ref}`,
    } as unknown as StudioClient;
    const trainer = new TrainingManager(client);
    expect(trainer.options).toMatchObject({ phase: 'end_to_end', epochs: 20, patchSize: 320, inputSize: 320, batchSize: 8, device: 'auto' });
    trainer.options.inputSize = 128;
    expect(await trainer.start([])).toBe(true);
    expect(sent[0]).toEqual({ method: 'training.start', params: { phase: 'end_to_end', epochs: 20, patchSize: 320, inputSize: 128, batchSize: 8, device: 'auto' } });

    onDone?.({ jobId: 7, kind: 'train', state: 'done', done: 1, failed: 0, total: 1 });
    await expect.poll(() => trainer.montageUrl).toBe('/media/report/7');
    expect(trainer.report).toEqual(report);
    trainer.dispose();
  });
});
