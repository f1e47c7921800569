import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { RgbImage } from '../imaging/raster';
import { MattingError, abortError } from '../matting/errors';
import type { TrimapOptions } from '../matting/trimap';
import { spawnWorker } from '../workers/spawn';
import type { PipelineResponse, PipelineTask } from './pipeline-protocol';

interface Job {
  task: PipelineTask;
    signal?: AbortSignal;
  resolve(result: Float32Array | Uint8Array): void;
  reject(err: Error): void;
  worker?: Worker;
  onAbort?: () => void;
  detach?: () => void;
}

/**
 * Worker threads for the per-image CPU stages besides refinement (the automatic trimap and
 * foreground colours): with two images in flight these used to run on the
 * caller's thread, one at a time, while a core idled. Cancelling a running task terminates its
 * worker; idle workers never keep the process alive.
 */
export class PipelinePool {
  readonly size: number;
  private idle: Worker[] = [];
  private busy = new Set<Worker>();
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(size = os.availableParallelism()) {
    this.size = Math.max(1, Math.floor(size));
  }

  get threads(): number {
    return this.idle.length + this.busy.size;
  }

  async makeTrimap(prob: Float32Array, width: number, height: number, options: TrimapOptions, signal?: AbortSignal): Promise<Uint8Array> {
    return (await this.submit({ type: 'trimap', prob, width, height, options }, signal)) as Uint8Array;
  }

  async estimateForeground(image: RgbImage, alpha: Float32Array, signal?: AbortSignal): Promise<Uint8Array> {
    return (await this.submit({ type: 'foreground', image, alpha }, signal)) as Uint8Array;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new MattingError('WORKER_FAILED', 'The pipeline pool was closed'));
    const workers = [...this.idle, ...this.busy];
    this.idle = [];
    this.busy.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private submit(task: PipelineTask, signal?: AbortSignal): Promise<Float32Array | Uint8Array> {
    if (this.closed) return Promise.reject(new MattingError('WORKER_FAILED', 'The pipeline pool is closed'));
    if (signal?.aborted) return Promise.reject(abortError(signal.reason));
    return new Promise((resolve, reject) => {
      const job: Job = { task, signal, resolve, reject };
      if (signal) {
        job.onAbort = () => this.cancel(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length && (this.idle.length || this.threads < this.size)) {
      const job = this.queue.shift() as Job;
      const worker = this.idle.pop() ?? spawnWorker(import.meta.url, 'pipeline-worker');
      this.busy.add(worker);
      job.worker = worker;
      this.run(worker, job);
    }
  }

  private run(worker: Worker, job: Job): void {
    const id = this.nextId++;
    const onMessage = (msg: PipelineResponse): void => {
      if (msg.id !== id) return;
      detach();
      this.release(worker);
      if (msg.ok) this.settle(job, undefined, msg.result);
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
      this.settle(job, new MattingError('WORKER_FAILED', `Pipeline worker failed: ${cause}`, { cause: err }));
    };
    const detach = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('exit', onFailure);
    };
    worker.on('message', onMessage);
    worker.on('error', onFailure);
    worker.on('exit', onFailure);
    job.detach = detach;
    // Keep the process alive while a task runs; an idle worker must not hold it open.
    worker.ref();
    worker.postMessage({ ...job.task, id });
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    else if (job.worker) {
      job.detach?.();
      this.discard(job.worker);
      void job.worker.terminate();
    }
    this.settle(job, abortError(job.signal?.reason));
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

  private settle(job: Job, err?: Error, result?: Float32Array | Uint8Array): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    job.onAbort = undefined;
    if (err) job.reject(err);
    else job.resolve(result as Float32Array | Uint8Array);
  }
}
