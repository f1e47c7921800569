import { trainingStartParams, type BeforeAfterReport, type JobProgress, type TrainingCheck, type TrainingDevice, type TrainingPhase, type TrainingRecord, type TrainingStatus } from '../../../shared/contract';
import type { StudioClient } from '../../../shared/client';
import { plainError } from './messages';

export interface TrainingOptions {
  phase: TrainingPhase;
  epochs: number;
  patchSize: number;
  batchSize: number;
  /** Network input of the exported pair (the whole photo is resized to it). */
  inputSize: number;
  device: TrainingDevice;
  /** Only the library's selection (else every refined image). */
  selectionOnly: boolean;
}

function defaultRequest(): Omit<TrainingOptions, 'selectionOnly'> {
  const { phase, epochs, patchSize, batchSize, inputSize, device } = trainingStartParams.parse({});
  return { phase, epochs, patchSize, batchSize, inputSize, device };
}

export const phaseLabels: Record<TrainingPhase, string> = {
  pre_train_t_net: 'T-Net only (automatic trimap)',
  pre_train_m_net: 'M-Net only (refinement)',
  end_to_end: 'End to end (both, the paper’s final phase)',
};

export interface ChartSeries {
  /** Training loss per global step. */
  train: [number, number][];
  /** Validation SAD per epoch, placed at the epoch's last step. */
  val: [number, number][];
}

/** The chart's two curves from the trainer's records (a resumed run's records continue the same axes). */
export function chartSeries(records: TrainingRecord[]): ChartSeries {
  const train: [number, number][] = [];
  const val: [number, number][] = [];
  let stepsPerEpoch = 0;
  for (const r of records) {
    if (r.event === 'start' && r.steps_per_epoch) stepsPerEpoch = r.steps_per_epoch;
    if (r.event === 'step' && r.global_step !== undefined && r.loss !== undefined && Number.isFinite(r.loss)) train.push([r.global_step, r.loss]);
    if (r.event === 'validation' && r.epoch !== undefined && r.sad !== undefined) val.push([r.epoch * (stepsPerEpoch || 1), r.sad]);
  }
  return { train, val };
}

/**
 * The Train dialog's state: the Python check, the options, one training job followed through
 * job.progress and job.done (its records feed the chart), cancel, resume and the trainer's log.
 */
export class TrainingManager {
  // The engine's defaults (one source: the request's schema).
  options = $state<TrainingOptions>({ ...defaultRequest(), selectionOnly: false });
  check = $state<TrainingCheck | null>(null);
  checking = $state(false);
  jobId = $state<number | null>(null);
  pairId = $state<string | null>(null);
  state = $state<JobProgress['state'] | null>(null);
  progress = $state<JobProgress | null>(null);
  records = $state<TrainingRecord[]>([]);
  message = $state<string | null>(null);
  error = $state<string | null>(null);
  log = $state<{ file: string; text: string } | null>(null);
  /** Before and after, once a run has finished. */
  report = $state<BeforeAfterReport | null>(null);
  /** The report's montage (photo | reference | before | after per image), as a URL. */
  montageUrl = $state<string | null>(null);
  busy = $state(false);
  private readonly offs: (() => void)[] = [];

  readonly latestStep = $derived(this.records.findLast((r) => r.event === 'step') ?? null);
  readonly latestValidation = $derived(this.records.findLast((r) => r.event === 'validation') ?? null);
  readonly series = $derived(chartSeries(this.records));
  readonly running = $derived(this.state === 'running' || this.state === 'queued');

  constructor(private readonly api: StudioClient) {
    this.offs.push(
      api.on('job.progress', (p) => this.onProgress(p)),
      api.on('job.done', (p) => this.onProgress(p)),
    );
  }

  /** Checks Python and PyTorch (the dialog shows the result before anything starts). */
  async load(): Promise<void> {
    this.checking = true;
    try {
      this.check = await this.api.call('training.check', {});
    } catch (err) {
      this.error = plainError(err);
    } finally {
      this.checking = false;
    }
  }

  async start(selectedIds: number[]): Promise<boolean> {
    this.error = null;
    this.busy = true;
    try {
      const { selectionOnly, ...o } = this.options;
      const { jobId, pairId } = await this.api.call('training.start', { ...o, ...(selectionOnly && selectedIds.length ? { imageIds: selectedIds } : {}) });
      this.jobId = jobId;
      this.pairId = pairId;
      this.state = 'queued';
      this.records = [];
      this.message = null;
      this.log = null;
      this.report = null;
      this.montageUrl = null;
      return true;
    } catch (err) {
      this.error = plainError(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async cancel(): Promise<void> {
    if (this.jobId !== null) await this.call(() => this.api.call('jobs.cancel', { jobId: this.jobId as number }));
  }

  async resume(): Promise<void> {
    if (this.jobId === null) return;
    this.message = null;
    if (await this.call(() => this.api.call('jobs.resume', { jobId: this.jobId as number }))) this.state = 'running';
  }

  /** The last lines of the trainer's log (stdout and stderr). */
  async openLog(): Promise<void> {
    if (this.jobId !== null) await this.call(async () => (this.log = await this.api.call('training.log', { jobId: this.jobId as number, lines: 200 })));
  }

  /** Follows an existing job (e.g. one resumed after a restart): its records so far, then its events. */
  async follow(jobId: number): Promise<void> {
    await this.call(async () => {
      const status = await this.api.call('training.status', { jobId });
      this.jobId = jobId;
      this.pairId = status.params.pairId;
      this.state = status.state;
      this.records = status.records;
      this.message = status.message ?? null;
      this.showReport(status);
    });
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private onProgress(p: JobProgress): void {
    if (p.jobId !== this.jobId) return;
    this.progress = p;
    this.state = p.state;
    if (p.training) this.records.push(p.training);
    if (p.state !== 'running' && p.state !== 'queued') this.message = p.message ?? null;
    if (p.state === 'done') void this.call(async () => this.showReport(await this.api.call('training.status', { jobId: p.jobId })));
  }

  private showReport(status: TrainingStatus): void {
    this.report = status.report ?? null;
    this.montageUrl = status.montageRef ? this.api.mediaUrl(status.montageRef) : null;
  }

  private async call(fn: () => Promise<unknown>): Promise<boolean> {
    this.error = null;
    try {
      await fn();
      return true;
    } catch (err) {
      this.error = plainError(err);
      return false;
    }
  }
}
