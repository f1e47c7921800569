import path from 'node:path';
import type { EventName, Events, MethodName, ProjectSummary, Settings } from '../../shared/contract';
import { StudioError } from '../../shared/errors';
import type { Handlers } from '../api/dispatch';
import { LiveJobs } from '../api/live-jobs';
import { defaultModelsDir } from '../models/models-dir';
import { createDefaultEngine } from '../pipeline';
import { type Project, openProject } from '../project';
import { AppSettingsStore, RecentProjects } from '../user';
import { ProjectSession } from '../session';

export { toImageView } from './image-view';

export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;
export type StudioEngine = ReturnType<typeof createDefaultEngine>;

/** What a feature module adds to the dispatcher: the handlers of the methods it answers. */
export type FeatureHandlers<M extends MethodName> = Pick<Handlers, M>;

export interface StudioContextOptions {
  /** Per-user data: recent projects, settings. */
  appDataDir: string;
  emit: Emit;
  /** Models folder (default: the package's models/). */
  modelsDir?: string;
}

/** The settings an engine is built with: a change to any of them means a new engine. */
const engineKey = (s: Settings) => JSON.stringify([s.executionProvider, s.bandPercent, s.workingMegapixels ?? null]);

/**
 * What the feature modules share: the settings (read from disk once, written through), the
 * engine built from them, the open project's session, the recent-projects list and the live jobs.
 * `openSession` is the one way to switch sessions: opening a project, and rebuilding the engine
 * after a settings change, both go through it.
 */
export class StudioContext {
  readonly emit: Emit;
  readonly recent: RecentProjects;
  readonly live: LiveJobs;
  readonly modelsDir: string | undefined;
  private readonly settingsStore: AppSettingsStore;
  private current: Settings;
  private engineNow: StudioEngine;
  private sessionNow: ProjectSession | null = null;

  constructor(options: StudioContextOptions) {
    this.emit = options.emit;
    this.modelsDir = options.modelsDir;
    this.recent = new RecentProjects(options.appDataDir);
    this.settingsStore = new AppSettingsStore(options.appDataDir);
    this.current = this.settingsStore.get();
    this.engineNow = this.buildEngine(this.current);
    // Live jobs (imports) are numbered from 1e9 so they never collide with a project's stored batch jobs.
    this.live = new LiveJobs(
      (p) => this.emit('job.progress', p),
      (p, extra) => this.emit('job.done', { ...p, ...extra }),
      1_000_000_000,
    );
  }

  settings(): Settings {
    return this.current;
  }

  get engine(): StudioEngine {
    return this.engineNow;
  }

  get session(): ProjectSession | null {
    return this.sessionNow;
  }

  requireSession(): ProjectSession {
    if (!this.sessionNow) throw new StudioError('NO_PROJECT', 'No project is open: create or open one first.');
    return this.sessionNow;
  }

  summary(p: Project): ProjectSummary {
    return { path: p.dir, name: p.name, imageCount: p.countImages(), exportDir: p.exportDir };
  }

  /**
   * Opens `dir` in a new session (jobs interrupted earlier resume) and closes the one open before.
   * Another project is opened first, so a folder that cannot be opened leaves the current one
   * open; the open project itself is closed first and opened again.
   */
  async openSession(dir: string, create: boolean): Promise<ProjectSummary> {
    const root = path.resolve(dir);
    if (this.sessionNow?.project.dir === root) await this.closeSession();
    const next = openProject(root, { create, maxPixels: Math.round(this.current.maxMegapixels * 1_000_000) });
    await this.closeSession();
    const session = new ProjectSession(next, this.engineNow, () => this.current, this.emit, this.modelsDir ?? defaultModelsDir());
    this.sessionNow = session;
    this.recent.touch(next.dir, next.name);
    session.resumeInterrupted();
    const s = this.summary(next);
    this.emit('project.changed', { project: s });
    return s;
  }

  /** Closes the open project; returns whether one was open. */
  async closeSession(): Promise<boolean> {
    this.live.cancelAll();
    const current = this.sessionNow;
    this.sessionNow = null;
    await current?.close();
    return current !== null;
  }

  /** Saves a settings patch; a change the engine depends on builds a new engine and reopens the project with it. */
  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    const before = this.current;
    this.current = this.settingsStore.update(patch);
    if (engineKey(this.current) !== engineKey(before)) {
      const old = this.engineNow;
      this.engineNow = this.buildEngine(this.current);
      const dir = this.sessionNow?.project.dir;
      if (dir) await this.openSession(dir, false);
      void old.close();
    } else if (this.sessionNow && this.current.maxMegapixels !== before.maxMegapixels) {
      this.sessionNow.project.maxPixels = Math.round(this.current.maxMegapixels * 1_000_000);
    }
    this.emit('settings.changed', this.current);
    return this.current;
  }

  async close(): Promise<void> {
    await this.closeSession();
    await this.engineNow.close();
  }

  private buildEngine(s: Settings): StudioEngine {
    return createDefaultEngine({
      provider: s.executionProvider,
      modelsDir: this.modelsDir,
      // The automatic trimap's smart band, scaled by the setting (its default 1 % is scale 1).
      semantic: { band: { scale: s.bandPercent } },
      ...(s.workingMegapixels ? { workingMegapixels: s.workingMegapixels } : {}),
    });
  }
}
