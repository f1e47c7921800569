import type { AppInfo, EventName, Events } from '../shared/contract';
import { type Dispatch, type Handlers, createDispatcher } from './api/dispatch';
import { StudioContext } from './features/context';
import { setupApp } from './features/app';
import { setupFiles } from './features/files';
import { setupAdjustments } from './features/adjustments';
import { setupSubject } from './features/subject';
import { setupImages } from './features/images';
import { setupJobs } from './features/jobs';
import { type MediaFile, setupMedia } from './features/media';
import { setupProjects } from './features/projects';
import { setupSettings } from './features/settings';
import { setupTraining } from './features/training';
import { defaultModelsDir } from './models/models-dir';

export type { MediaFile } from './features/media';

export interface StudioOptions {
  /** Per-user data: recent projects, settings. */
  appDataDir: string;
  shell: AppInfo['shell'];
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /** Called with unexpected errors (bugs), for the log. */
  onInternalError?(err: unknown): void;
  /** Models folder (default: the package's models/). */
  modelsDir?: string;
}

export interface Studio {
  dispatch: Dispatch;
  resolveMedia(ref: string): Promise<MediaFile | null>;
  /** The models folder this studio reads (the webcam's worker loads trained pairs from it). */
  modelsDir: string;
  close(): Promise<void>;
}

/**
 * The engine behind every transport: a composition of feature modules (src/engine/features/),
 * each answering its part of the API, over one shared context that owns the settings, the
 * engine, the open project's session and the running jobs.
 */
export function createStudio(options: StudioOptions): Studio {
  const ctx = new StudioContext({ appDataDir: options.appDataDir, emit: options.emit, modelsDir: options.modelsDir });
  const handlers: Handlers = {
    ...setupApp(ctx, options.shell),
    ...setupProjects(ctx),
    ...setupImages(ctx),
    ...setupJobs(ctx),
    ...setupSettings(ctx),
    ...setupTraining(ctx),
    ...setupFiles(),
    ...setupAdjustments(ctx),
    ...setupSubject(ctx),
  };
  return {
    dispatch: createDispatcher(handlers, options.onInternalError),
    resolveMedia: setupMedia(ctx),
    modelsDir: options.modelsDir ?? defaultModelsDir(),
    close: () => ctx.close(),
  };
}
