import type { ImageStatus, JobProgress, ModelView, Params, RefineMethodView } from '../../../shared/contract';
import type { CollisionPolicy, ExportLayout } from '../../../shared/vocabulary';
import type { StudioClient } from '../../../shared/client';
import { ApiCallError, type ErrorCode } from '../../../shared/errors';
import { plainError } from './messages';

export type ExportScope = 'all' | 'selected' | 'status';
export type { CollisionPolicy, ExportLayout };

export interface ExportOptions {
  scope: ExportScope;
  statuses: ImageStatus[];
  outDir: string;
  layout: ExportLayout;
  collision: CollisionPolicy;
  alpha: boolean;
  trimap: boolean;
  decontaminate: boolean;
  refine: string;
}

export interface ExportFailure {
  id: number;
  relPath: string;
  reason: string;
}

export interface ExportSummary {
  state: JobProgress['state'];
  done: number;
  failed: number;
  total: number;
  seconds: number;
  message?: string;
  failures: ExportFailure[];
}

/** Errors of export.start that are about the output folder: shown next to the folder field. */
const folderErrors: ReadonlySet<ErrorCode> = new Set(['OUTPUT_MISSING', 'OUTPUT_INSIDE_SOURCE', 'OUTPUT_READ_ONLY', 'OUTPUT_NOT_FOLDER', 'OUTPUT_ON_ORIGINAL', 'READ_ONLY', 'DISK_FULL']);

export const layoutLabels: Record<ExportLayout, string> = {
  mirror: 'Mirror source folders',
  dataset: 'Dataset (image/ mask/ trimap/ alpha/ train.txt)',
};

export const collisionLabels: Record<CollisionPolicy, string> = {
  suffix: 'Add a suffix (name-1.png)',
  skip: 'Skip existing files',
  overwrite: 'Overwrite existing files',
};

/** Builds export.start's parameters from the dialog's options and the library's selection. */
export function exportParams(options: ExportOptions, selectedIds: number[]): Params<'export.start'> {
  const params: Params<'export.start'> = {
    outDir: options.outDir.trim(),
    layout: options.layout,
    collision: options.collision,
    alpha: options.alpha,
    trimap: options.trimap,
    decontaminate: options.decontaminate,
    ...(options.refine ? { refine: options.refine } : {}),
  };
  if (options.scope === 'selected') params.imageIds = selectedIds;
  if (options.scope === 'status') params.status = options.statuses;
  return params;
}

/**
 * The batch export dialog's state: options, then one running job followed through job.progress
 * and job.done, then a summary with every failed image and its reason.
 */
export class ExportManager {
  options = $state<ExportOptions>({
    scope: 'all',
    statuses: ['refined', 'edited'],
    outDir: '',
    layout: 'mirror',
    collision: 'suffix',
    alpha: false,
    trimap: false,
    decontaminate: true,
    refine: '',
  });
  methods = $state<RefineMethodView[]>([]);
  models = $state<ModelView[]>([]);
  phase = $state<'form' | 'running' | 'done'>('form');
  /** An error about the output folder, shown inline beside it. */
  folderError = $state<{ code: ErrorCode; message: string } | null>(null);
  /** Any other error from export.start. */
  error = $state<string | null>(null);
  progress = $state<JobProgress | null>(null);
  summary = $state<ExportSummary | null>(null);
  starting = $state(false);
  cancelling = $state(false);
  jobId = $state<number | null>(null);
  private startedAt = 0;
  private exportedIds: number[] = [];
  private readonly offs: (() => void)[] = [];
  /** Events that arrived while export.start's reply was on its way. */
  private early: Record<number, { p: JobProgress; done: boolean }> = {};

  constructor(private readonly api: StudioClient) {
    this.offs.push(
      api.on('job.progress', (p) => {
        if (p.jobId === this.jobId) this.progress = p;
        else if (this.starting && p.kind === 'export') this.early[p.jobId] = { p, done: false };
      }),
      api.on('job.done', (p) => {
        if (p.jobId === this.jobId) void this.finish(p);
        else if (this.starting && p.kind === 'export') this.early[p.jobId] = { p, done: true };
      }),
    );
  }

  /** Reads the refinement methods and the defaults from settings. */
  async load(): Promise<void> {
    const [models, settings] = await Promise.all([this.api.call('models.list', {}), this.api.call('settings.get', {})]);
    this.methods = models.methods;
    this.models = models.models;
    if (!this.options.refine) this.options.refine = settings.refineMethod;
    this.options.decontaminate = settings.decontaminate;
  }

  /** How many images the current options would export. */
  countFor(all: { id: number; status: ImageStatus }[], selectedIds: number[]): number {
    if (this.options.scope === 'selected') return selectedIds.length;
    if (this.options.scope === 'status') return all.filter((i) => this.options.statuses.includes(i.status)).length;
    return all.length;
  }

  async start(selectedIds: number[], all: { id: number; status: ImageStatus }[]): Promise<boolean> {
    this.folderError = null;
    this.error = null;
    if (!this.options.outDir.trim()) {
      this.folderError = { code: 'OUTPUT_MISSING', message: 'Choose an output folder.' };
      return false;
    }
    this.starting = true;
    try {
      const params = exportParams(this.options, selectedIds);
      const { jobId, total } = await this.api.call('export.start', params);
      this.exportedIds = params.imageIds ?? all.filter((i) => !params.status || params.status.includes(i.status)).map((i) => i.id);
      this.jobId = jobId;
      this.startedAt = performance.now();
      this.progress = { jobId, kind: 'export', state: 'queued', done: 0, failed: 0, total };
      this.summary = null;
      this.phase = 'running';
      const early = this.early[jobId];
      this.early = {};
      if (early?.done) void this.finish(early.p);
      else if (early) this.progress = early.p;
      return true;
    } catch (err) {
      if (err instanceof ApiCallError && folderErrors.has(err.code)) this.folderError = { code: err.code, message: err.message };
      else this.error = plainError(err);
      return false;
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    if (this.jobId === null) return;
    this.cancelling = true;
    try {
      await this.api.call('jobs.cancel', { jobId: this.jobId });
    } catch (err) {
      this.error = (err as Error).message;
      this.cancelling = false;
    }
  }

  /** Back to the options, keeping them, for another export. */
  reset(): void {
    this.phase = 'form';
    this.jobId = null;
    this.progress = null;
    this.summary = null;
    this.error = null;
    this.folderError = null;
    this.cancelling = false;
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private async finish(p: JobProgress): Promise<void> {
    this.progress = p;
    const seconds = (performance.now() - this.startedAt) / 1000;
    let failures: ExportFailure[] = [];
    if (p.failed > 0) {
      // Failed images carry their reason in images.list.
      const exported = this.exportedIds;
      try {
        const { images } = await this.api.call('images.list', { status: ['failed'] });
        failures = images.filter((i) => exported.includes(i.id)).map((i) => ({ id: i.id, relPath: i.relPath, reason: i.error ?? 'unknown error' }));
      } catch (err) {
        failures = [{ id: 0, relPath: '', reason: `Could not list the failures: ${(err as Error).message}` }];
      }
    }
    this.summary = { state: p.state, done: p.done, failed: p.failed, total: p.total, seconds, ...(p.message ? { message: p.message } : {}), failures };
    this.phase = 'done';
    this.cancelling = false;
  }
}

export { formatDuration } from '../../../shared/vocabulary';

export function formatRate(perSec: number | undefined): string {
  if (perSec === undefined || !Number.isFinite(perSec) || perSec <= 0) return '—';
  return perSec >= 1 ? `${perSec.toFixed(1)} images/s` : `${(60 * perSec).toFixed(1)} images/min`;
}
