import type { TransferListItem, Worker } from 'node:worker_threads';
import { abortError } from '../matting/errors';

/** What one worker message means for the job it names. */
export type WorkerReply<Result, Progress> = { progress: Progress } | { result: Result } | { error: Error };

/** How a pool talks to its kind of worker: the protocol and the errors are the caller's. */
export interface WorkerPoolAdapter<Task, Message extends { id: number }, Result, Progress = never> {
  /** Starts one worker thread (call spawnWorker from the module beside the worker entry). */
  spawn(): Worker;
  /** The message that asks a worker to run `task` as job `id`. */
  request(task: Task, id: number): unknown;
  /** Buffers to move to the worker instead of copying; default none. */
  transfer?(task: Task): readonly TransferListItem[];
  read(message: Message): WorkerReply<Result, Progress>;
  /** A pool failure (closed pool, dead worker) in the caller's error class. */
  failure(message: string, cause?: unknown): Error;
}

export interface WorkerJobOptions<Progress> {
  signal?: AbortSignal;
  onProgress?(progress: Progress): void;
}

interface Job<Task, Result, Progress> {
  task: Task;
  options: WorkerJobOptions<Progress>;
  resolve(result: Result): void;
  reject(err: Error): void;
  worker?: Worker;
  onAbort?: () => void;
  detach?: () => void;
}

/** The id of a warm-up's one reply (see WorkerPool.prestart): jobs are numbered from 1. */
export const WARM_UP_ID = 0;

/** Posts a warm-up to a fresh worker: resolves with its reply, or null when the thread ends first. */
function sendWarmUp(worker: Worker, message: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (msg: { id?: unknown } | null): void => {
      if (msg?.id !== WARM_UP_ID) return;
      stop();
      resolve(msg);
    };
    const onExit = (): void => {
      stop();
      resolve(null);
    };
    const stop = (): void => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    worker.postMessage(message);
  });
}

/**
 * Up to `size` worker threads, spawned on demand, each running one job at a time; jobs queue
 * while all are busy. Cancelling a running job terminates its worker (workers run synchronous
 * kernels, so this is the prompt way) and a fresh one replaces it on demand. A worker holds the
 * process open only while it runs a job.
 */
export class WorkerPool<Task, Message extends { id: number }, Result, Progress = never> {
  readonly size: number;
  private idle: Worker[] = [];
  private busy = new Set<Worker>();
  private queue: Job<Task, Result, Progress>[] = [];
  private nextId = 1;
  private isClosed = false;
  private warmUps: Promise<unknown>[] = [];
  /** Threads whose warm-up is still running; threads that have warmed up or run a job. */
  private warming = new Set<Worker>();
  private warm = new WeakSet<Worker>();

  /** `name` labels errors: "The <name> pool is closed", "<Name> worker failed: ...". */
  constructor(
    private readonly name: string,
    size: number,
    private readonly adapter: WorkerPoolAdapter<Task, Message, Result, Progress>,
  ) {
    this.size = Math.max(1, Math.floor(size));
  }

  /** Number of live worker threads (for tests and diagnostics). */
  get threads(): number {
    return this.idle.length + this.busy.size;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Starts up to `count` workers now (never more than the pool's size), idle until jobs come, so
   * a batch does not pay each thread's start-up (module loading, for a tsx run also compiling)
   * in series with its first images. With `warmUp`, each new thread is sent that message before
   * any job (a worker may warm its code on synthetic work, see matting/workers/warm-up.ts); its
   * one reply carries WARM_UP_ID and is what warmedUp() gives for it.
   */
  prestart(count = this.size, warmUp?: unknown): void {
    if (this.isClosed) return;
    while (this.threads < Math.min(count, this.size)) {
      const worker = this.spawn();
      if (warmUp !== undefined) {
        this.warming.add(worker);
        this.warmUps.push(
          sendWarmUp(worker, warmUp).then((reply) => {
            this.warming.delete(worker);
            this.warm.add(worker);
            return reply;
          }),
        );
      }
      this.idle.push(worker);
    }
  }

  /** The replies to the warm-ups prestart sent, in order; null for a thread that ended first. */
  warmedUp(): Promise<unknown[]> {
    return Promise.all(this.warmUps);
  }

  run(task: Task, options: WorkerJobOptions<Progress> = {}): Promise<Result> {
    if (this.isClosed) return Promise.reject(this.adapter.failure(`The ${this.name} pool is closed`));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal.reason));
    return new Promise<Result>((resolve, reject) => {
      const job: Job<Task, Result, Progress> = { task, options, resolve, reject };
      if (signal) {
        job.onAbort = () => this.cancel(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.isClosed = true;
    for (const job of this.queue.splice(0)) this.settle(job, { error: this.adapter.failure(`The ${this.name} pool was closed`) });
    const workers = [...this.idle, ...this.busy];
    this.idle = [];
    this.busy.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.queue.length && (this.idle.length || this.threads < this.size)) {
      const job = this.queue.shift() as Job<Task, Result, Progress>;
      const worker = this.takeIdle() ?? this.spawn();
      this.busy.add(worker);
      job.worker = worker;
      this.start(worker, job);
    }
  }

  /**
   * The idle thread for the next job: the latest that has warmed up or run a job (its code is
   * optimised), else the latest that is not warming up (it starts at once; a warm-up under way
   * goes on beside it), else the latest. A batch's first refinement used to go to the thread
   * started last, cold, even when the other had finished its warm-up.
   */
  private takeIdle(): Worker | undefined {
    const take = (ok: (w: Worker) => boolean): Worker | undefined => {
      for (let i = this.idle.length - 1; i >= 0; i--) if (ok(this.idle[i])) return this.idle.splice(i, 1)[0];
      return undefined;
    };
    return take((w) => this.warm.has(w)) ?? take((w) => !this.warming.has(w)) ?? this.idle.pop();
  }

  private spawn(): Worker {
    const worker = this.adapter.spawn();
    worker.unref();
    return worker;
  }

  private start(worker: Worker, job: Job<Task, Result, Progress>): void {
    const id = this.nextId++;
    const onMessage = (msg: Message): void => {
      if (msg.id !== id) return;
      const reply = this.adapter.read(msg);
      if ('progress' in reply) {
        job.options.onProgress?.(reply.progress);
        return;
      }
      detach();
      this.release(worker);
      this.settle(job, reply);
    };
    const onFailure = (err: Error | number): void => {
      detach();
      this.discard(worker);
      const cause = typeof err === 'number' ? `exit code ${err}` : err.message;
      const label = this.name.charAt(0).toUpperCase() + this.name.slice(1);
      this.settle(job, { error: this.adapter.failure(`${label} worker failed: ${cause}`, err) });
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
    // Keep the process alive while a job runs; an idle worker must not hold it open.
    worker.ref();
    worker.postMessage(this.adapter.request(job.task, id), this.adapter.transfer?.(job.task));
  }

  private cancel(job: Job<Task, Result, Progress>): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    else if (job.worker) {
      job.detach?.();
      this.discard(job.worker);
      void job.worker.terminate();
    }
    this.settle(job, { error: abortError(job.options.signal?.reason) });
    this.pump();
  }

  private release(worker: Worker): void {
    worker.unref();
    this.busy.delete(worker);
    this.warm.add(worker);
    if (!this.isClosed) this.idle.push(worker);
    this.pump();
  }

  private discard(worker: Worker): void {
    this.busy.delete(worker);
    this.idle = this.idle.filter((w) => w !== worker);
  }

  private settle(job: Job<Task, Result, Progress>, outcome: { result: Result } | { error: Error }): void {
    if (job.onAbort) job.options.signal?.removeEventListener('abort', job.onAbort);
    job.onAbort = undefined;
    if ('error' in outcome) job.reject(outcome.error);
    else job.resolve(outcome.result);
  }
}

/**
 * A typed front over a WorkerPool for one kind of work (refinement, the pipeline's stages): the
 * size, thread count, prestart and close are the pool's; subclasses add the calls.
 */
export abstract class PoolFront<Task, Message extends { id: number }, Result, Progress = never> {
  readonly size: number;

  protected constructor(protected readonly pool: WorkerPool<Task, Message, Result, Progress>) {
    this.size = pool.size;
  }

  /** Number of live worker threads (for tests and diagnostics). */
  get threads(): number {
    return this.pool.threads;
  }

  /** Starts up to `count` worker threads ahead of the first jobs (see WorkerPool.prestart). */
  prestart(count?: number): void {
    this.pool.prestart(count);
  }

  /**
   * The `report` of each thread's warm-up reply (see WorkerPool.prestart), once all have ended;
   * null for a thread that ended first. Subclasses that send a warm-up expose it typed.
   */
  protected async warmUpReports<Report>(): Promise<(Report | null)[]> {
    return ((await this.pool.warmedUp()) as ({ report: Report } | null)[]).map((r) => r?.report ?? null);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
