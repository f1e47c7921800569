export { JobStore } from './store';
export { runJob, type RunJobOptions } from './runner';
export { defaultConcurrency } from './concurrency';
export { JobManager, type JobHandler, type JobManagerOptions } from './manager';
export { RateMeter } from './rate';
export { MemoryBudget, BYTES_PER_PIXEL_IN_FLIGHT, defaultMemoryBudget } from './memory-budget';
export { FatalJobError, JOB_STATES, type JobState, type JobProgress, type JobRecord, type JobItemRecord, type ItemProcessor, type ItemResult } from './types';
