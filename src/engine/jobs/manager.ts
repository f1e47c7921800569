import { StudioError } from '../../shared/errors';
import type { JobStore } from './store';
import { JobRuns } from './job-runs';
import { runJob, type RunJobOptions } from './runner';
import type { ItemProcessor, JobProgress, JobRecord } from './types';

/**
 * Turns a job's stored params into the function that processes one image (so a job can resume
 * after a restart); `items` is how many images the run has left (what a warm-up should prepare for).
 */
export type JobHandler = (params: unknown, run: { items: number }) => ItemProcessor | Promise<ItemProcessor>;

export interface JobManagerOptions {
  store: JobStore;
  handlers: Record<string, JobHandler>;
  onProgress?(p: JobProgress): void;
  label?(imageId: number): string;
  concurrency?: number;
}

/** Starts, resumes and cancels jobs of one project; at most one run per job at a time. */
export class JobManager {
  private readonly options: JobManagerOptions;
  private readonly running: JobRuns;

  constructor(options: JobManagerOptions) {
    this.options = options;
    this.running = new JobRuns(options.store);
  }

  /** Creates the job rows and starts it; returns the id at once. `finished(id)` awaits the end. */
  start(kind: string, params: unknown, imageIds: number[]): number {
    if (!this.options.handlers[kind]) throw new RangeError(`No handler for job kind '${kind}'`);
    const id = this.options.store.create(kind, params, imageIds);
    this.launch(id);
    return id;
  }

  /** Continues an interrupted or failed job with its unfinished items. */
  resume(jobId: number): void {
    const job = this.options.store.get(jobId);
    if (!job) throw new StudioError('NOT_FOUND', `No job ${jobId} in this project`);
    if (job.state === 'done' || job.state === 'cancelled') throw new StudioError('BAD_REQUEST', `Job ${jobId} is ${job.state}; it cannot be resumed`);
    if (!this.running.has(jobId)) this.launch(jobId);
  }

  cancel(jobId: number): boolean {
    return this.running.cancel(jobId, ['queued', 'running', 'failed']);
  }

  isRunning(jobId: number): boolean {
    return this.running.has(jobId);
  }

  finished(jobId: number): Promise<JobRecord> {
    const running = this.running.finished(jobId);
    if (running) return running;
    const job = this.options.store.get(jobId);
    return job ? Promise.resolve(job) : Promise.reject(new RangeError(`No job ${jobId}`));
  }

  /** Cancels every running job and waits for them to stop (for project close). */
  stopAll(): Promise<void> {
    return this.running.stopAll();
  }

  private launch(jobId: number): void {
    const job = this.options.store.get(jobId) as JobRecord;
    this.running.start(jobId, async (signal) => {
      const runOptions: RunJobOptions = { signal, concurrency: this.options.concurrency };
      if (this.options.onProgress) runOptions.onProgress = this.options.onProgress;
      if (this.options.label) runOptions.label = this.options.label;
      try {
        const process = await this.options.handlers[job.kind](job.params, { items: Math.max(0, job.total - job.done - job.failed - job.cancelled) });
        return await runJob(this.options.store, jobId, process, runOptions);
      } catch (err) {
        // The handler could not even start (bad params, model missing): the whole job fails.
        const reason = err instanceof Error ? err.message : String(err);
        this.options.store.finish(jobId, 'failed', reason);
        this.options.onProgress?.({ jobId, kind: job.kind, state: 'failed', done: job.done, failed: job.failed, total: job.total, message: reason });
        return this.options.store.get(jobId) as JobRecord;
      }
    });
  }
}
