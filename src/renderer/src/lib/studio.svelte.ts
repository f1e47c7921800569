import type { AppInfo, ImageView, JobProgress, ProjectSummary } from '../../../shared/contract';
import type { StudioClient } from '../../../shared/client';
import { ApiCallError } from '../../../shared/errors';
import { importSummary, jobLabel, plainError } from './messages';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** The studio's state: project, images, jobs and messages. Components read it; actions call the API. */
export class StudioManager {
  info = $state<AppInfo | null>(null);
  project = $state<ProjectSummary | null>(null);
  recent = $state<{ path: string; name: string; openedAt: string }[]>([]);
  images = $state<ImageView[]>([]);
  jobs = $state<Record<number, JobProgress>>({});
  notices = $state<Notice[]>([]);
  busy = $state(false);
  private nextNotice = 1;
  /** Between Close and the engine's answer: events about the closing project are ignored. */
  private closing = false;

  readonly runningJobs = $derived(Object.values(this.jobs).filter((j) => j.state === 'running' || j.state === 'queued'));

  constructor(readonly api: StudioClient) {}

  async start(): Promise<() => void> {
    const offs = [
      this.api.on('job.progress', (p) => (this.jobs[p.jobId] = p)),
      this.api.on('job.done', (p) => {
        this.jobs[p.jobId] = p;
        if (p.kind === 'import') {
          const summary = importSummary(p);
          this.notify(summary.kind, summary.text);
        } else if (p.kind === 'matte') {
          // Refinements start in the editor, whose status bar is their one progress indicator and which reports a failure itself.
        } else if (p.state === 'failed') this.notify('error', `${jobLabel(p.kind)} failed: ${p.message ?? 'something went wrong'}`);
        else if (p.message) this.notify('info', `${jobLabel(p.kind)}: ${p.message}`);
      }),
      this.api.on('project.changed', ({ project }) => {
        if (this.closing && project) return;
        this.project = project;
        void this.refreshImages();
      }),
      this.api.on('images.changed', (change) => !this.closing && this.applyImageChange(change)),
    ];
    await this.run(async () => {
      this.info = await this.api.call('app.info', {});
      this.project = this.info.project;
      this.recent = (await this.api.call('project.recent', {})).projects;
      await this.refreshImages();
    });
    return () => offs.forEach((off) => off());
  }

  /**
   * After the connection came back: events sent meanwhile were lost, and a restarted engine has no
   * project open, so read the state again and reopen the project that was open here.
   */
  resync(): Promise<void> {
    const wanted = this.project?.path;
    return this.run(async () => {
      this.info = await this.api.call('app.info', {});
      this.project = wanted && this.info.project?.path !== wanted ? await this.api.call('project.open', { path: wanted }) : this.info.project;
      await this.refreshImages();
    }).then(() => undefined);
  }

  notify(kind: Notice['kind'], text: string): void {
    const notice = { id: this.nextNotice++, kind, text };
    this.notices = [...this.notices.slice(-4), notice];
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  /** Runs an action and turns a failure into a notice; a cancel is not a failure. */
  async run<T>(action: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    try {
      return await action();
    } catch (err) {
      // A cancel is not a failure; an unreachable engine has its own banner.
      if (!(err instanceof Error && err.name === 'AbortError') && !(err instanceof ApiCallError && err.code === 'ENGINE_UNAVAILABLE')) this.notify('error', plainError(err));
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  openProject(path: string, create: boolean) {
    return this.run(async () => {
      this.project = await this.api.call(create ? 'project.create' : 'project.open', { path });
      this.recent = (await this.api.call('project.recent', {})).projects;
      await this.refreshImages();
    });
  }

  /**
   * Closes the project, stopping its jobs first. The library empties at once: the images a
   * stopped import reports must not become tiles whose thumbnails the closing project no longer
   * serves.
   */
  closeProject() {
    const closing = this.project;
    this.project = null;
    this.images = [];
    this.closing = true;
    return this.run(async () => {
      try {
        for (const job of this.runningJobs) await this.api.call('jobs.cancel', { jobId: job.jobId }).catch(() => undefined);
        await this.api.call('project.close', {});
      } catch (err) {
        this.project = closing;
        await this.refreshImages().catch(() => undefined);
        throw err;
      } finally {
        this.closing = false;
      }
    });
  }

  importPaths(paths: string[]) {
    return this.run(() => this.api.call('images.import', { paths }));
  }

  cancelJob(jobId: number) {
    return this.run(() => this.api.call('jobs.cancel', { jobId }));
  }

  /** Updates the changed tiles in place when the event carries their views; anything else (a new import, a removal) re-lists. */
  applyImageChange(change: { ids: number[]; images?: ImageView[] }): void {
    const views = change.images;
    const at: Record<number, number> = {};
    this.images.forEach((image, index) => (at[image.id] = index));
    if (!views || views.length !== change.ids.length || views.some((v) => at[v.id] === undefined)) {
      void this.refreshImages();
      return;
    }
    const next = [...this.images];
    for (const view of views) next[at[view.id]] = view;
    this.images = next;
  }

  async refreshImages(): Promise<void> {
    if (!this.project) {
      this.images = [];
      return;
    }
    const asked = this.project.path;
    const { images } = await this.api.call('images.list', {});
    // The project was closed or another opened while the list was on its way: it is not this one's.
    if (this.project?.path !== asked) return;
    this.images = images;
    this.project = { ...this.project, imageCount: images.length };
  }
}
