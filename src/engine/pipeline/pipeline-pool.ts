import os from 'node:os';
import type { RgbImage } from '../imaging/raster';
import { MattingError } from '../matting/errors';
import { errorFromWorker } from '../matting/workers/pool';
import type { TrimapOptions } from '../matting/trimap/trimap';
import { spawnWorker } from '../workers/spawn';
import { PoolFront, WARM_UP_ID, WorkerPool } from '../workers/worker-pool';
import type { PipelineRequest, PipelineResponse, PipelineTask, PipelineWarmUpReport, PipelineWarmUpRequest } from './pipeline-protocol';

/**
 * Worker threads for the per-image CPU stages besides refinement (the automatic trimap and
 * foreground colours): with two images in flight these used to run on the
 * caller's thread, one at a time, while a core idled. Cancelling a running task terminates its
 * worker; idle workers never keep the process alive.
 */
export class PipelinePool extends PoolFront<PipelineTask, PipelineResponse, Float32Array | Uint8Array> {
  constructor(size = os.availableParallelism()) {
    super(new WorkerPool<PipelineTask, PipelineResponse, Float32Array | Uint8Array>('pipeline', size, {
      spawn: () => spawnWorker(import.meta.url, 'pipeline-worker'),
      request: (task, id): PipelineRequest => ({ ...task, id }),
      read: (msg) => (msg.ok ? { result: msg.result } : { error: errorFromWorker(msg) }),
      failure: (message, cause) => new MattingError('WORKER_FAILED', message, { cause }),
    }));
  }

  /**
   * Starts up to `count` threads ahead of a batch; with `warmUpForeground`, each new thread first
   * estimates the foreground of two small synthetic composites (pipeline-worker.ts), so the
   * batch's first image gets optimised code.
   */
  override prestart(count?: number, warmUpForeground = false): void {
    this.pool.prestart(count, warmUpForeground ? ({ type: 'warm-up', id: WARM_UP_ID } satisfies PipelineWarmUpRequest) : undefined);
  }

  /** What each thread's warm-up did, once all have ended (null for a thread that ended first). */
  warmedUp(): Promise<(PipelineWarmUpReport | null)[]> {
    return this.warmUpReports<PipelineWarmUpReport>();
  }

  async makeTrimap(prob: Float32Array, width: number, height: number, options: TrimapOptions, signal?: AbortSignal): Promise<Uint8Array> {
    return (await this.pool.run({ type: 'trimap', prob, width, height, options }, { signal })) as Uint8Array;
  }

  async estimateForeground(image: RgbImage, alpha: Float32Array, signal?: AbortSignal): Promise<Uint8Array> {
    return (await this.pool.run({ type: 'foreground', image, alpha }, { signal })) as Uint8Array;
  }
}
