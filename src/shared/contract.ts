/**
 * The typed contract between the renderer and the engine. Every process imports this file:
 * the renderer's client, the Electron preload and main relay, the browser-mode server and the
 * engine's dispatcher. A method is a name, a zod schema for its parameters and a result type;
 * the engine validates every call against the schema before any handler sees it.
 */
import { z } from 'zod';
import type { ApiError } from './errors';
import type { EventName, MethodName } from './names';
import { BRUSH_TOOLS, MAX_STROKE_POINTS } from './strokes';
import { outputAdjustments, type OutputAdjustments } from './adjustments';
import { collisionPolicies, executionProviders, exportLayouts, imageStatuses, type ExecutionProviderSetting, type ImageStatus } from './vocabulary';
import { PYTHON_PATH, trainingStartParams, type TrainedPairInfo, type TrainingCheck, type TrainingRecord, type TrainingStatus } from './training';

export * from './training';
export { eventNames, isEventName, isMethodName, methodNames, type EventName, type MethodName } from './names';

const absPath = z.string().min(1).max(4096);
const id = z.number().int().positive();
const imageRef = z.strictObject({ imageId: id });
const modelId = z.string().min(1).max(200);

export {
  collisionPolicies,
  executionProviders,
  exportLayouts,
  imageStatuses,
  type CollisionPolicy,
  type ExecutionProviderSetting,
  type ExportLayout,
  type ImageStatus,
} from './vocabulary';

/** A brush stroke in full-resolution image pixels (see src/shared/strokes.ts). */
export const brushStroke = z.strictObject({
  tool: z.enum(BRUSH_TOOLS),
  radius: z.number().positive().max(5000),
  hardness: z.number().min(0).max(1),
  points: z.array(z.tuple([z.number().finite(), z.number().finite()])).min(1).max(MAX_STROKE_POINTS),
});


export const settingsPatch = z.strictObject({
  executionProvider: z.enum(executionProviders).optional(),
  semanticModel: modelId.optional(),
  refineMethod: modelId.optional(),
  // At most what the decoder reads: MAX_DECODABLE_PIXELS (16383², engine/imaging/limits.ts).
  maxMegapixels: z.number().positive().max(268).optional(),
  decontaminate: z.boolean().optional(),
  bandPercent: z.number().min(0.1).max(25).optional(),
  /** null: back to each method's measured default. */
  workingMegapixels: z.number().positive().max(1000).nullable().optional(),
  /** Python for the trainer; null: SHM_PYTHON, else /usr/bin/python3 where it exists, else python3. */
  pythonPath: z.string().min(1).max(4096).regex(PYTHON_PATH, 'must name a Python interpreter (python, python3, python3.12, py.exe…)').nullable().optional(),
});

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
  'jobs.resume': z.strictObject({ jobId: id }),
  /** `method`: the refinement whose cut-out to show (default: the setting). */
  'image.open': z.strictObject({ imageId: id, method: modelId.optional() }),
  'trimap.stroke': z.strictObject({ imageId: id, stroke: brushStroke }),
  'trimap.undo': imageRef,
  'trimap.redo': imageRef,
  'trimap.reset': imageRef,
  'image.refine': z.strictObject({ imageId: id, method: modelId.optional() }),
  'export.start': z.strictObject({
    imageIds: z.array(id).min(1).max(100_000).optional(),
    status: z.array(z.enum(imageStatuses)).min(1).optional(),
    outDir: absPath,
    layout: z.enum(exportLayouts).default('mirror'),
    collision: z.enum(collisionPolicies).default('suffix'),
    alpha: z.boolean().default(false),
    trimap: z.boolean().default(false),
    decontaminate: z.boolean().optional(),
    refine: modelId.optional(),
  }),
  'settings.get': z.strictObject({}),
  'settings.set': settingsPatch,
  'models.list': z.strictObject({}),
  'models.add': z.strictObject({ onnxPath: absPath, manifest: z.record(z.string(), z.unknown()) }),
  /** Deletes a user's model; a trained pair's `-tnet` or `-mnet` deletes both. */
  'models.delete': z.strictObject({ id: modelId }),
  /** Adds every exported model (`<id>.onnx` + `<id>.json`) of a folder. */
  'models.import': z.strictObject({ dir: absPath }),
  'training.check': z.strictObject({}),
  'training.start': trainingStartParams,
  'training.status': z.strictObject({ jobId: id }),
  /** The last `lines` lines of the trainer's log. */
  'training.log': z.strictObject({ jobId: id, lines: z.number().int().min(1).max(10_000).default(200) }),
  /** A folder's subfolders and files, for the folder browser (no path: the user's home). */
  'files.list': z.strictObject({ path: absPath.optional() }),
  'adjustments.get': imageRef,
  /** Stores an image's output adjustments; export applies them. */
  'adjustments.set': z.strictObject({ imageId: id, adjustments: outputAdjustments }),
  /** Keeps the subject under a point (full-resolution image pixels) and drops the rest: one undoable edit. */
  'trimap.keepSubject': z.strictObject({ imageId: id, x: z.number().finite().min(0), y: z.number().finite().min(0) }),
} as const satisfies Record<MethodName, z.ZodType>;
export type Params<M extends MethodName> = z.input<(typeof methods)[M]>;

export interface ProjectSummary {
  path: string;
  name: string;
  imageCount: number;
  /** The folder the project was last exported to, if any. */
  exportDir: string | null;
}

/** What the studio knows of an imported image (the engine adds its file path, a window its media). */
export interface ImageFacts {
  id: number;
  /** Path relative to the imported folder (or the bare file name): export mirrors it. */
  relPath: string;
  /** Display size, after EXIF orientation. */
  width: number;
  height: number;
  format: string;
  status: ImageStatus;
  error?: string;
  addedAt: string;
}

export interface ImageView extends ImageFacts {
  /** Media reference: turn into a URL with the transport's `mediaUrl`. */
  thumb: string;
  original: string;
}

export interface ProviderInfo {
  name: string;
  bundled: boolean;
}

/** One folder as the folder browser shows it: subfolders first, then files, hidden ones left out. */
export interface FolderListing {
  path: string;
  /** null at the root of a drive. */
  parent: string | null;
  home: string;
  entries: { name: string; kind: 'folder' | 'photo' | 'file' }[];
  /** Entries beyond the listing's limit. */
  more: number;
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
  /** Share of the whole job done (0..1), counting how far the images in flight are: it moves within one long image too. */
  fraction?: number;
  /** A training job: the trainer's latest progress record. */
  training?: TrainingRecord;
}

export interface ImportSkip {
  path: string;
  reason: string;
}

/** Where an image's trimap stands in its edit history. */
export interface TrimapCursor {
  imageId: number;
  /** Cursor in the edit history: version n = automatic trimap + edits 1..n. */
  version: number;
  /** Highest saved version; above `version` are the redo steps. */
  latest: number;
  canUndo: boolean;
  canRedo: boolean;
  /** Identifies the exact trimap (automatic trimap + edit sequence); changes with every edit, undo or redo. */
  revision: string;
}

export interface TrimapView extends TrimapCursor {
  /** Media reference of the trimap at preview resolution (grey PNG: 0 bg, 128 unknown, 255 fg). */
  ref: string;
  /** The automatic trimap alone, same size: the eraser paints it back. */
  autoRef: string;
  /** The image's status after this change (an edit makes it 'edited'). */
  imageStatus: ImageStatus;
}

export interface ImageDetail {
  image: ImageView;
  /** Display copy of the original (any input format, browser-readable), and its size. */
  preview: { ref: string; width: number; height: number };
  trimap: TrimapView;
  /** The cut-out (RGBA PNG at preview resolution) for the current trimap and method, if computed. */
  cutout: string | null;
  method: string;
}

export interface Settings {
  executionProvider: ExecutionProviderSetting;
  semanticModel: string;
  refineMethod: string;
  maxMegapixels: number;
  decontaminate: boolean;
  /** Automatic trimaps: the unknown band's reach in % of the longer side for an average edge (the smart band scales with it: wider where the edge is uncertain, thinner where crisp). */
  bandPercent: number;
  /** Refinement working-resolution cap in megapixels; absent: each method's measured default. */
  workingMegapixels?: number;
  /** Python for the trainer (absent: SHM_PYTHON, else /usr/bin/python3 where it exists, else python3). */
  pythonPath?: string;
}

export interface ModelView {
  id: string;
  role: 'segmenter' | 'trimap' | 'matting' | 'end2end' | 'detector';
  name: string;
  license: string;
  present: boolean;
  user: boolean;
  /** A pair trained in the studio: its training data. */
  training?: TrainedPairInfo;
}

export interface RefineMethodView {
  id: string;
  label: string;
  description: string;
}

export interface ProviderReportView {
  requested: ExecutionProviderSetting;
  active: string;
  tried: { provider: string; ok: boolean; reason?: string }[];
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
  'jobs.resume': { jobId: number };
  'image.open': ImageDetail;
  'trimap.stroke': TrimapView;
  'trimap.undo': TrimapView;
  'trimap.redo': TrimapView;
  'trimap.reset': TrimapView;
  'image.refine': { jobId: number };
  'export.start': { jobId: number; total: number };
  'settings.get': Settings;
  'settings.set': Settings;
  'models.list': { models: ModelView[]; methods: RefineMethodView[]; provider: ProviderReportView | null; providerError?: string };
  'models.add': ModelView;
  'models.delete': { deleted: string[] };
  'models.import': { models: ModelView[] };
  'training.check': TrainingCheck;
  'training.start': { jobId: number; pairId: string };
  'training.status': TrainingStatus;
  'training.log': { file: string; text: string };
  'files.list': FolderListing;
  'adjustments.get': OutputAdjustments;
  'adjustments.set': OutputAdjustments;
  'trimap.keepSubject': TrimapView;
}

export type Result<M extends MethodName> = Results[M];

/** Events pushed from the engine to every window. */
export interface Events extends Record<EventName, unknown> {
  'job.progress': JobProgress;
  'job.done': JobProgress & { skipped?: ImportSkip[] };
  'project.changed': { project: ProjectSummary | null };
  /** Images added or changed; `images` carries their new views (absent: re-list). */
  'images.changed': { ids: number[]; images?: ImageView[] };
  'settings.changed': Settings;
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

/**
 * Media references are `<kind>/<id>` (a cut-out: `cutout/<id>/<method>`), optionally with `?v=<revision>` so a changed trimap or
 * cut-out gets a new URL (the query is a cache buster; servers resolve the path alone). `report/<id>` is the before/after
 * montage of training job `<id>` (the only kind whose id is a job's, not an image's).
 */
export const mediaKinds = ['thumb', 'original', 'preview', 'trimap', 'auto', 'cutout', 'report'] as const;
export type MediaKind = (typeof mediaKinds)[number];
const mediaRefPattern = new RegExp(`^(${mediaKinds.join('|')})/([1-9][0-9]{0,12})(?:/([a-z0-9][a-z0-9-]{0,63}))?$`);

/** Longest side of the display copy of an image; the trimap editor works at this resolution. */
export const PREVIEW_MAX_SIDE = 4096;

export function previewSize(width: number, height: number, maxSide = PREVIEW_MAX_SIDE): { width: number; height: number; scale: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scale };
}

/** `cutout/12/guided`: a cut-out names its refinement method; no other kind takes a third part. */
export function parseMediaRef(ref: string): { kind: MediaKind; id: number; method?: string } | null {
  const match = mediaRefPattern.exec(ref.split('?', 1)[0]);
  if (!match) return null;
  const kind = match[1] as MediaKind;
  if (match[3] !== undefined && kind !== 'cutout') return null;
  return match[3] === undefined ? { kind, id: Number(match[2]) } : { kind, id: Number(match[2]), method: match[3] };
}
