import type { JobProgress } from '../../shared/contract';

export type ProgressUpdate = Partial<Omit<JobProgress, 'jobId' | 'kind' | 'state'>>;

export interface LiveJobContext {
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
}

/**
 * Work the engine is doing right now, each with an id, progress and an AbortController. Callers
 * get the id at once; progress and the end arrive as events, so a long job never holds a reply.
 */
export class LiveJobs {
  private nextId: number;
  private readonly firstId: number;
  private readonly jobs = new Map<number, { progress: JobProgress; controller: AbortController; startedAt: number }>();

  constructor(
    private readonly emitProgress: (p: JobProgress) => void,
    private readonly emitDone: (p: JobProgress, extra: Record<string, unknown>) => void,
    firstId = 1,
  ) {
    this.firstId = firstId;
    this.nextId = firstId;
  }

  /** Whether this id was handed out here (live ids are a range of their own). */
  owns(jobId: number): boolean {
    return jobId >= this.firstId && jobId < this.nextId;
  }

  start<T extends Record<string, unknown>>(
    kind: string,
    total: number,
    work: (ctx: LiveJobContext) => Promise<{ failed?: number; message?: string; extra?: T }>,
  ): number {
    const jobId = this.nextId++;
    const controller = new AbortController();
    const progress: JobProgress = { jobId, kind, state: 'running', done: 0, failed: 0, total };
    const job = { progress, controller, startedAt: Date.now() };
    this.jobs.set(jobId, job);
    const ctx: LiveJobContext = {
      signal: controller.signal,
      progress: (update) => {
        Object.assign(progress, update);
        const elapsed = (Date.now() - job.startedAt) / 1000;
        if (progress.done > 0 && elapsed > 0) {
          progress.ratePerSec = progress.done / elapsed;
          progress.etaMs = Math.max(0, ((progress.total - progress.done) / progress.ratePerSec) * 1000);
        }
        this.emitProgress({ ...progress });
      },
    };
    // Report after the caller has its id: the first event must not overtake the reply.
    setImmediate(() => {
      this.emitProgress({ ...progress });
      work(ctx).then(
        (result) => this.finish(jobId, controller.signal.aborted ? 'cancelled' : 'done', result.message, result.failed, result.extra),
        (err: unknown) => {
          const cancelled = controller.signal.aborted || (err instanceof Error && err.name === 'AbortError');
          this.finish(jobId, cancelled ? 'cancelled' : 'failed', cancelled ? 'Cancelled' : (err as Error)?.message ?? String(err));
        },
      );
    });
    return jobId;
  }

  cancel(jobId: number): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.progress.state !== 'running') return false;
    job.controller.abort();
    return true;
  }

  list(): JobProgress[] {
    return [...this.jobs.values()].map((j) => ({ ...j.progress }));
  }

  cancelAll(): void {
    for (const job of this.jobs.values()) job.controller.abort();
  }

  private finish(jobId: number, state: JobProgress['state'], message?: string, failed?: number, extra: Record<string, unknown> = {}): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    job.progress.state = state;
    job.progress.etaMs = 0;
    if (message !== undefined) job.progress.message = message;
    if (failed !== undefined) job.progress.failed = failed;
    this.emitDone({ ...job.progress }, extra);
    // Keep a bounded history so jobs.list stays small.
    const finished = [...this.jobs.entries()].filter(([, j]) => j.progress.state !== 'running');
    for (const [oldId] of finished.slice(0, Math.max(0, finished.length - 50))) this.jobs.delete(oldId);
  }
}
