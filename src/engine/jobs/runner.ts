import { defaultConcurrency, forEachConcurrently } from './concurrency';
import { RateMeter } from './rate';
import type { JobStore } from './store';
import { FatalJobError, type ItemProcessor, type JobProgress, type JobRecord, type JobState } from './types';


export interface RunJobOptions {
  /** Images processed at once; the heavy stages use worker threads, so 2 keeps both cores busy. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?(p: JobProgress): void;
  /** Label of an item for progress (e.g. its relative path). */
  label?(imageId: number): string;
}

/** Within an image, progress events at most this often. */
const PROGRESS_INTERVAL_MS = 100;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs the queued items of a job, `concurrency` at a time, recording each outcome as it happens
 * (so a kill loses at most the items in flight, which go back to the queue on the next run). One
 * image failing is recorded and the batch goes on; a FatalJobError stops it as 'failed' with its
 * reason; an abort stops it as 'cancelled'.
 */
export async function runJob(store: JobStore, jobId: number, process: ItemProcessor, options: RunJobOptions = {}): Promise<JobRecord> {
  const job = store.get(jobId);
  if (!job) throw new RangeError(`No job ${jobId}`);
  if (job.state === 'done' || job.state === 'cancelled') return job;
  const interrupted = new Set(store.begin(jobId));
  const queue = store.items(jobId, ['queued']).map((i) => i.imageId);
  const controller = new AbortController();
  const external = options.signal;
  const onAbort = () => controller.abort(external?.reason);
  if (external?.aborted) onAbort();
  else external?.addEventListener('abort', onAbort, { once: true });

  const meter = new RateMeter();
  let fatal: FatalJobError | undefined;
  const counts = store.counts(jobId);
  let done = counts.done;
  let failed = counts.failed;
  const total = counts.total;

  const emit = (state: JobState, extra: Partial<JobProgress> = {}) => {
    const remaining = total - done - failed;
    const rate = meter.rate();
    const p: JobProgress = { jobId, kind: job.kind, state, done, failed, total, ...extra };
    if (rate !== undefined) p.ratePerSec = rate;
    const eta = meter.etaMs(remaining);
    if (eta !== undefined && state === 'running') p.etaMs = eta;
    options.onProgress?.(p);
  };
  emit('running');

  // How far each image in flight is: the job's fraction moves within a long image, not only between images.
  const inFlight = new Map<number, number>();
  let lastFractionAt = 0;
  const fraction = () => (total ? Math.min(1, (done + failed + [...inFlight.values()].reduce((a, b) => a + b, 0)) / total) : 1);
  const itemProgress = (imageId: number, current: string) => (f: number) => {
    if (!inFlight.has(imageId) || controller.signal.aborted) return;
    // Never backwards (a solver's residual may rise for an iteration).
    inFlight.set(imageId, Math.min(1, Math.max(inFlight.get(imageId) ?? 0, f)));
    const now = performance.now();
    if (now - lastFractionAt < PROGRESS_INTERVAL_MS) return;
    lastFractionAt = now;
    emit('running', { current, fraction: fraction() });
  };

  const one = async (imageId: number) => {
    store.itemRunning(jobId, imageId);
    const current = options.label?.(imageId) ?? String(imageId);
    inFlight.set(imageId, 0);
    emit('running', { current, fraction: fraction() });
    const t0 = performance.now();
    try {
      const result = await process(imageId, controller.signal, { interrupted: interrupted.has(imageId), progress: itemProgress(imageId, current) });
      store.itemDone(jobId, imageId, performance.now() - t0, result ?? {});
      done++;
    } catch (err) {
      if (err instanceof FatalJobError) {
        fatal ??= err;
        store.itemRequeue(jobId, imageId);
        controller.abort(err);
      } else if (controller.signal.aborted) {
        store.itemRequeue(jobId, imageId);
      } else {
        store.itemFailed(jobId, imageId, performance.now() - t0, message(err));
        failed++;
      }
    }
    inFlight.delete(imageId);
    meter.tick();
    emit('running', { current, fraction: fraction() });
  };

  try {
    await forEachConcurrently(queue, options.concurrency ?? defaultConcurrency(), one, () => controller.signal.aborted || fatal !== undefined);
  } finally {
    external?.removeEventListener('abort', onAbort);
  }

  if (fatal) {
    store.finish(jobId, 'failed', fatal.message);
    emit('failed', { message: fatal.message });
  } else if (controller.signal.aborted) {
    store.finish(jobId, 'cancelled');
    emit('cancelled', { message: 'Cancelled' });
  } else {
    store.finish(jobId, 'done');
    emit('done', { message: `${done} done, ${failed} failed` });
  }
  return store.get(jobId) as JobRecord;
}
