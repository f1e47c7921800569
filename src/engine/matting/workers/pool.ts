import os from 'node:os';
import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import { MattingError, type MattingErrorCode } from '../errors';
import type { WarmUpRequest, WorkerRequest, WorkerResponse } from './pool-protocol';
import type { RefinementMethodId } from '../alpha/methods';
import type { WarmUpReport } from './warm-up';
import type { MattingContext, Progress } from '../progress';
import type { RefineOptions } from '../alpha/refine';
import { spawnWorker } from '../../workers/spawn';
import { PoolFront, WARM_UP_ID, WorkerPool } from '../../workers/worker-pool';
import { assertImage, assertTrimap } from '../validate';

export interface MattingPoolOptions {
  /** Worker threads; default the number of cores. */
  size?: number;
}

type RefineTask = Omit<WorkerRequest, 'id'>;

/** An error a worker sent back: a MattingError keeps its code, anything else its name. */
export function errorFromWorker(msg: { name: string; message: string; code?: MattingErrorCode }): Error {
  if (msg.code) return new MattingError(msg.code, msg.message);
  const err = new Error(msg.message);
  err.name = msg.name;
  return err;
}

/**
 * Runs refineAlpha on worker threads so the solver never blocks the caller's event loop. Jobs
 * queue when all workers are busy. Cancelling a running job terminates its worker (the solver is
 * synchronous between yields, so this is the prompt way) and a fresh one replaces it on demand.
 */
export class MattingPool extends PoolFront<RefineTask, WorkerResponse, Alpha, Progress> {
  constructor(options: MattingPoolOptions = {}) {
    super(new WorkerPool<RefineTask, WorkerResponse, Alpha, Progress>('matting', options.size ?? os.availableParallelism(), {
      spawn: () => spawnWorker(import.meta.url, 'matting-worker'),
      request: (task, id): WorkerRequest => ({ ...task, id }),
      read: (msg) => {
        if (msg.type === 'progress') return { progress: { fraction: msg.fraction, stage: msg.stage } };
        return msg.type === 'done' ? { result: msg.alpha } : { error: errorFromWorker(msg) };
      },
      failure: (message, cause) => new MattingError('WORKER_FAILED', message, { cause }),
    }));
  }

  /**
   * Starts up to `count` threads ahead of a batch. With `warmUp`, each new thread first refines a
   * few small synthetic photos with that method (see warm-up.ts), so the batch's first refinement
   * runs optimised code; a job that comes sooner stops the warm-up.
   */
  override prestart(count?: number, warmUp?: RefinementMethodId): void {
    this.pool.prestart(count, warmUp && ({ kind: 'warm-up', id: WARM_UP_ID, method: warmUp } satisfies WarmUpRequest));
  }

  /** What each thread's warm-up did, once all have ended (null for a thread that ended first). */
  warmedUp(): Promise<(WarmUpReport | null)[]> {
    return this.warmUpReports<WarmUpReport>();
  }

  refine(image: RgbImage, trimap: Trimap, options: RefineOptions, ctx: MattingContext = {}): Promise<Alpha> {
    // A closed pool rejects before the input is looked at.
    if (!this.pool.closed) {
      try {
        assertImage(image);
        assertTrimap(trimap, image.width, image.height);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    return this.pool.run({ image, trimap, options }, { signal: ctx.signal, onProgress: (p) => ctx.onProgress?.(p) });
  }
}
