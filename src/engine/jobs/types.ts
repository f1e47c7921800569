import { jobStates, type JobProgress, type JobState } from '../../shared/contract';

/** Progress of one batch job, as the contract sends it. */
export type { JobProgress, JobState };
export const JOB_STATES = jobStates;

export interface JobRecord {
  id: number;
  kind: string;
  params: unknown;
  state: JobState;
  reason?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  total: number;
  done: number;
  failed: number;
  cancelled: number;
}

export interface JobItemRecord {
  jobId: number;
  imageId: number;
  seq: number;
  state: JobState;
  error?: string;
  ms?: number;
  provider?: string;
  output?: string;
}

/** What a processed item reports back; stored on its row. */
export interface ItemResult {
  provider?: string;
  output?: string;
}

/**
 * `item.interrupted`: the image was in flight when a process running this job was killed;
 * `item.progress`: how far this image is (0..1), for the job's progress between images.
 */
export type ItemProcessor = (imageId: number, signal: AbortSignal, item: ItemContext) => Promise<ItemResult | void>;

export interface ItemContext {
  interrupted: boolean;
  progress?(fraction: number): void;
}

/**
 * An error that stops the whole batch (the output folder vanished, the disk is full): the job is
 * marked failed with this reason and its unfinished items stay queued, so it can be resumed.
 * Any other error fails only its own image.
 */
export class FatalJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FatalJobError';
  }
}
