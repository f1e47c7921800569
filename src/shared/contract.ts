/**
 * The typed contract between the renderer and the engine. Every process imports this file:
 * the renderer's client, the Electron preload and main relay, the browser-mode server and the
 * engine's dispatcher. A method is a name, a zod schema for its parameters and a result type;
 * the engine validates every call against the schema before any handler sees it.
 */
import { z } from 'zod';
import type { ApiError } from './errors';
import type { EventName, MethodName } from './names';

export { eventNames, isEventName, isMethodName, methodNames, type EventName, type MethodName } from './names';

const absPath = z.string().min(1).max(4096);
const id = z.number().int().positive();

export const imageStatuses = ['new', 'auto', 'edited', 'refined', 'exported', 'failed'] as const;
export type ImageStatus = (typeof imageStatuses)[number];

export const executionProviders = ['auto', 'cuda', 'webgpu', 'cpu'] as const;
export type ExecutionProviderSetting = (typeof executionProviders)[number];

/** Parameter schemas, one per method. Strict objects: unknown keys are a bad request. */
export const methods = {
  'app.info': z.strictObject({}),
  'project.create': z.strictObject({ path: absPath }),
  'project.open': z.strictObject({ path: absPath }),
  'project.close': z.strictObject({}),
  'project.recent': z.strictObject({}),
  'images.list': z.strictObject({ status: z.array(z.enum(imageStatuses)).max(imageStatuses.length).optional() }),
  'images.import': z.strictObject({ paths: z.array(absPath).min(1).max(10_000) }),
  'jobs.list': z.strictObject({}),
  'jobs.cancel': z.strictObject({ jobId: id }),
} as const satisfies Record<MethodName, z.ZodType>;
export type Params<M extends MethodName> = z.input<(typeof methods)[M]>;

export interface ProjectSummary {
  path: string;
  name: string;
  imageCount: number;
}

export interface ImageView {
  id: number;
  relPath: string;
  width: number;
  height: number;
  format: string;
  status: ImageStatus;
  error?: string;
  addedAt: string;
  /** Media reference: turn into a URL with the transport's `mediaUrl`. */
  thumb: string;
  original: string;
}

export interface ProviderInfo {
  name: string;
  bundled: boolean;
}

export interface AppInfo {
  name: string;
  version: string;
  /** Which shell the engine answers from. */
  shell: 'electron' | 'browser' | 'test';
  engine: {
    node: string;
    platform: string;
    arch: string;
    cpus: number;
    onnxruntime: { version: string; backends: ProviderInfo[] };
    sharp: { version: string; inputFormats: string[] };
  };
  project: ProjectSummary | null;
}

export const jobStates = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

export interface JobProgress {
  jobId: number;
  kind: string;
  state: JobState;
  done: number;
  failed: number;
  total: number;
  current?: string;
  ratePerSec?: number;
  etaMs?: number;
  message?: string;
}

export interface ImportSkip {
  path: string;
  reason: string;
}

/** Result type of each method. */
export interface Results extends Record<MethodName, unknown> {
  'app.info': AppInfo;
  'project.create': ProjectSummary;
  'project.open': ProjectSummary;
  'project.close': { closed: boolean };
  'project.recent': { projects: { path: string; name: string; openedAt: string }[] };
  'images.list': { images: ImageView[] };
  'images.import': { jobId: number };
  'jobs.list': { jobs: JobProgress[] };
  'jobs.cancel': { cancelled: boolean };
}

export type Result<M extends MethodName> = Results[M];

/** Events pushed from the engine to every window. */
export interface Events extends Record<EventName, unknown> {
  'job.progress': JobProgress;
  'job.done': JobProgress & { skipped?: ImportSkip[] };
  'project.changed': { project: ProjectSummary | null };
  'images.changed': { ids: number[] };
}

/** What crosses a transport for one call: a value or a typed error, never a thrown exception. */
export type CallOutcome<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiError };


/** The API as the renderer sees it, whatever the transport. */
export interface StudioTransport {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<CallOutcome<Result<M>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Turns a media reference (e.g. `thumb/12`) into a URL the page may load. */
  mediaUrl(ref: string): string;
}

/** Media references are `<kind>/<id>` with an optional `?v=` cache buster. */
export const mediaKinds = ['thumb', 'original'] as const;
export type MediaKind = (typeof mediaKinds)[number];
const mediaRefPattern = /^(thumb|original)\/([1-9][0-9]{0,12})$/;

export function parseMediaRef(ref: string): { kind: MediaKind; id: number } | null {
  const match = mediaRefPattern.exec(ref);
  if (!match) return null;
  return { kind: match[1] as MediaKind, id: Number(match[2]) };
}
