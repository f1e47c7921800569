import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Alpha, RgbImage, Trimap } from '../imaging/raster';
import { MattingError, abortError } from './errors';
import type { WorkerRequest, WorkerResponse } from './pool-protocol';
import type { MattingContext } from './progress';
import type { RefineOptions } from './refine';
import { spawnWorker } from '../workers/spawn';
import { assertImage, assertTrimap } from './validate';

interface Job {
  request: WorkerRequest;
  ctx: MattingContext;
  resolve(alpha: Alpha): void;
  reject(err: Error): void;
  worker?: Worker;
  onAbort?: () => void;
  onDetach?: () => void;
}

export interface MattingPoolOptions {
  /** Worker threads; default the number of cores. */
  size?: number;
}

/**
 * Runs refineAlpha on worker threads so the solver never blocks the caller's event loop. Jobs
 * queue when all workers are busy. Cancelling a running job terminates its worker (the solver is
 * synchronous between yields, so this is the prompt way) and a fresh one replaces it on demand.
 */
export class MattingPool {
  readonly size: number;
  private idle: Worker[] = [];
  private busy = new Set<Worker>();
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: MattingPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? os.availableParallelism()));
  }

  /** Number of live worker threads (for tests and diagnostics). */
  get threads(): number {
    return this.idle.length + this.busy.size;
  }

  refine(image: RgbImage, trimap: Trimap, options: RefineOptions, ctx: MattingContext = {}): Promise<Alpha> {
    if (this.closed) return Promise.reject(new MattingError('WORKER_FAILED', 'The matting pool is closed'));
    try {
      assertImage(image);
      assertTrimap(trimap, image.width, image.height);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (ctx.signal?.aborted) return Promise.reject(abortError(ctx.signal.reason));
    return new Promise<Alpha>((resolve, reject) => {
      const job: Job = { request: { id: this.nextId++, image, trimap, options }, ctx, resolve, reject };
      if (ctx.signal) {
        job.onAbort = () => this.cancel(job);
        ctx.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new MattingError('WORKER_FAILED', 'The matting pool was closed'));
    const workers = [...this.idle, ...this.busy];
    this.idle = [];
    this.busy.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.queue.length && (this.idle.length || this.threads < this.size)) {
      const job = this.queue.shift() as Job;
      const worker = this.idle.pop() ?? this.spawn();
      this.busy.add(worker);
      job.worker = worker;
      this.run(worker, job);
    }
  }

  private spawn(): Worker {
    const worker = spawnWorker(import.meta.url, 'matting-worker');
    worker.unref();
    return worker;
  }

  private run(worker: Worker, job: Job): void {
    const onMessage = (msg: WorkerResponse): void => {
      if (msg.id !== job.request.id) return;
      if (msg.type === 'progress') {
        job.ctx.onProgress?.({ fraction: msg.fraction, stage: msg.stage });
        return;
      }
      detach();
      this.release(worker);
      if (msg.type === 'done') this.settle(job, undefined, msg.alpha);
      else {
        const err = msg.code ? new MattingError(msg.code, msg.message) : new Error(msg.message);
        if (!msg.code) err.name = msg.name;
        this.settle(job, err);
      }
    };
    const onFailure = (err: Error | number): void => {
      detach();
      this.discard(worker);
      const cause = typeof err === 'number' ? `exit code ${err}` : err.message;
      this.settle(job, new MattingError('WORKER_FAILED', `Matting worker failed: ${cause}`, { cause: err }));
    };
    const detach = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('exit', onFailure);
    };
    worker.on('message', onMessage);
    worker.on('error', onFailure);
    worker.on('exit', onFailure);
    job.onDetach = detach;
    // Keep the process alive while a job runs; an idle worker must not hold it open.
    worker.ref();
    worker.postMessage(job.request);
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    else if (job.worker) {
      job.onDetach?.();
      this.discard(job.worker);
      void job.worker.terminate();
    }
    this.settle(job, abortError(job.ctx.signal?.reason));
    this.pump();
  }

  private release(worker: Worker): void {
    worker.unref();
    this.busy.delete(worker);
    if (!this.closed) this.idle.push(worker);
    this.pump();
  }

  private discard(worker: Worker): void {
    this.busy.delete(worker);
    this.idle = this.idle.filter((w) => w !== worker);
  }

  private settle(job: Job, err?: Error, alpha?: Alpha): void {
    if (job.onAbort) job.ctx.signal?.removeEventListener('abort', job.onAbort);
    job.onAbort = undefined;
    if (err) job.reject(err);
    else job.resolve(alpha as Alpha);
  }
}
