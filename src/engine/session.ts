import type { EventName, Events, JobProgress, TrimapView } from '../shared/contract';
import { decodeRgb } from './imaging/decode';
import { JobManager, JobStore } from './jobs';
import { ProjectMedia } from './media/project-media';
import { alphaCacheSettings, autoTrimapKey, ensureAutoTrimap, exportJobHandler, matteJobHandler } from './pipeline';
import type { PipelineEngine } from './pipeline';
import type { Project, TrimapState } from './project';
import type { AppSettings } from './user';
import { TRAIN_JOB_KIND, TrainingJobs } from './training/train-job';
import { toImageView } from './features/image-view';

type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;

const FINISHED = new Set<JobProgress['state']>(['done', 'failed', 'cancelled']);

/**
 * Everything that lives while one project is open: the project database, its stored batch jobs
 * (resumed on open if a crash interrupted them), and its media caches.
 */
export class ProjectSession {
  readonly jobs: JobManager;
  readonly media: ProjectMedia;
  /** Training jobs (kind 'train'): the trainer runs as a child process, not through the image batch loop. */
  readonly training: TrainingJobs;
  private readonly store: JobStore;
  private readonly autoInflight = new Map<number, Promise<void>>();

  constructor(
    readonly project: Project,
    private readonly engine: PipelineEngine,
    private readonly settings: () => AppSettings,
    emit: Emit,
    modelsDir: string,
  ) {
    this.media = new ProjectMedia(project);
    this.store = new JobStore(project.db);
    this.jobs = new JobManager({
      store: this.store,
      handlers: { matte: matteJobHandler(project, engine), export: exportJobHandler(project, engine) },
      label: (imageId) => project.getImage(imageId)?.relPath ?? `#${imageId}`,
      // Images report their own changes (below); a job reports only its progress.
      onProgress: (p) => emit(FINISHED.has(p.state) ? 'job.done' : 'job.progress', p),
    });
    this.training = new TrainingJobs({
      project,
      engine,
      store: this.store,
      settings,
      modelsDir,
      onProgress: (p) => emit(FINISHED.has(p.state) ? 'job.done' : 'job.progress', p),
    });
    // Every status change of an image, whoever caused it, reaches the windows as the image's new view.
    project.states.onChange((imageId) => {
      const image = project.isOpen ? project.getImage(imageId) : undefined;
      if (image) emit('images.changed', { ids: [imageId], images: [toImageView(image)] });
    });
  }

  /** Picks up batch jobs that a crash or a kill interrupted. */
  resumeInterrupted(): number[] {
    const resumed: number[] = [];
    for (const job of this.store.resumable()) {
      if (job.kind === TRAIN_JOB_KIND) continue;
      this.jobs.resume(job.id);
      resumed.push(job.id);
    }
    return [...resumed, ...this.training.resumeInterrupted()];
  }

  listJobs(): JobProgress[] {
    return this.store.list().map((j) => ({
      jobId: j.id,
      kind: j.kind,
      state: j.state,
      done: j.done,
      failed: j.failed,
      total: j.total,
      ...(j.reason ? { message: j.reason } : {}),
    }));
  }

  /** Makes the automatic trimap once (model inference on the full image); concurrent callers share the work. */
  ensureAuto(imageId: number): Promise<void> {
    let pending = this.autoInflight.get(imageId);
    if (!pending) {
      pending = (async () => {
        if (await this.project.trimaps.loadAuto(imageId, autoTrimapKey(this.engine, this.settings().semanticModel))) return;
        const record = this.project.requireImage(imageId);
        const image = await decodeRgb(record.sourcePath, { maxPixels: this.project.maxPixels });
        await ensureAutoTrimap(this.project, imageId, image, this.settings().semanticModel, this.engine);
      })().finally(() => this.autoInflight.delete(imageId));
      this.autoInflight.set(imageId, pending);
    }
    return pending;
  }

  /** `state`: one already read (a group of saves shares the state after the group). */
  trimapView(imageId: number, state: TrimapState = this.project.trimaps.state(imageId)): TrimapView {
    return {
      imageId,
      version: state.version,
      latest: state.latest,
      canUndo: state.canUndo,
      canRedo: state.canRedo,
      revision: state.revision,
      ref: `trimap/${imageId}?v=${encodeURIComponent(state.revision)}`,
      autoRef: `auto/${imageId}?v=${encodeURIComponent(state.revision.split('/')[0])}`,
      imageStatus: this.project.requireImage(imageId).status,
    };
  }

  /** Media reference of the cut-out for the current trimap and `method`, or null before it is computed. */
  cutoutRef(imageId: number, method: string): string | null {
    if (!this.cutoutFor(imageId, method)) return null;
    return `cutout/${imageId}/${method}?v=${encodeURIComponent(this.project.trimaps.revision(imageId))}`;
  }

  /** The cached full-resolution cut-out for the current trimap, method and settings, if any. */
  cutoutFor(imageId: number, method: string): string | undefined {
    return this.project.alphas.get({
      imageId,
      trimapRevision: this.project.trimaps.revision(imageId),
      method,
      settings: alphaCacheSettings(this.engine, this.settings().decontaminate),
    });
  }

  async close(): Promise<void> {
    this.project.states.onChange(undefined);
    await Promise.all([this.jobs.stopAll(), this.training.stopAll()]);
    this.project.close();
  }
}
