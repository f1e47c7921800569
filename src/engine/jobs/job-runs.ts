import type { JobStore } from './store';
import type { JobRecord, JobState } from './types';

/**
 * The stored jobs running in this process, at most one run per job, each with its abort
 * controller: the one bookkeeping for batch jobs (JobManager) and training jobs (TrainingJobs).
 */
export class JobRuns {
  private readonly runs = new Map<number, { controller: AbortController; finished: Promise<JobRecord> }>();

  constructor(private readonly store: JobStore) {}

  has(jobId: number): boolean {
    return this.runs.has(jobId);
  }

  /** The ids of the jobs running now. */
  ids(): number[] {
    return [...this.runs.keys()];
  }

  /** Starts `run` for the job unless it runs already; the entry goes when the run ends, however it ends. */
  start(jobId: number, run: (signal: AbortSignal) => Promise<JobRecord>): void {
    if (this.runs.has(jobId)) return;
    const controller = new AbortController();
    const finished = (async () => {
      // Yield first so the entry below is registered before any outcome removes it.
      await Promise.resolve();
      try {
        return await run(controller.signal);
      } finally {
        this.runs.delete(jobId);
      }
    })();
    this.runs.set(jobId, { controller, finished });
  }

  /** Aborts a running job; a stored one that is not running, in one of `stoppable` states, is marked cancelled. */
  cancel(jobId: number, stoppable: readonly JobState[]): boolean {
    const run = this.runs.get(jobId);
    if (run) {
      run.controller.abort();
      return true;
    }
    const job = this.store.get(jobId);
    if (job && stoppable.includes(job.state)) {
      this.store.finish(jobId, 'cancelled');
      return true;
    }
    return false;
  }

  /** The job's end: its running run's, or the stored record as it is. */
  finished(jobId: number): Promise<JobRecord> | undefined {
    return this.runs.get(jobId)?.finished;
  }

  /** Aborts every run (with `reason`) and waits for them to stop. */
  async stopAll(reason?: unknown): Promise<void> {
    const runs = [...this.runs.values()];
    for (const r of runs) r.controller.abort(reason);
    await Promise.allSettled(runs.map((r) => r.finished));
  }
}
