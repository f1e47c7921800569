import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AppInfo, EventName, Events, ImageView, ModelView, ProjectSummary, Settings } from '../shared/contract';
import { parseMediaRef } from '../shared/contract';
import { StudioError } from '../shared/errors';
import { type Dispatch, createDispatcher } from './api/dispatch';
import { LiveJobs } from './api/live-jobs';
import { refinementMethods } from './matting/registry';
import { addUserModel, listModels, type ModelInfo } from './models/registry';
import { checkOutputDir } from './export/paths';
import { createDefaultEngine } from './pipeline';
import { AppSettingsStore, type ImageRecord, type Project, RecentProjects, openProject } from './project';
import { ProjectSession } from './session';

const requireHere = createRequire(import.meta.url);

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

export interface MediaFile {
  file: string;
  mime: string;
}

export interface Studio {
  dispatch: Dispatch;
  resolveMedia(ref: string): Promise<MediaFile | null>;
  close(): Promise<void>;
}

const mimeByExt: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp',
  '.avif': 'image/avif', '.gif': 'image/gif', '.tif': 'image/tiff', '.tiff': 'image/tiff',
};

function packageVersion(name: string): string {
  try {
    return (requireHere(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** src/engine/ and the bundled out/main/ both sit two levels below the package root. */
function appVersion(): string {
  try {
    return (requireHere('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function toView(image: ImageRecord): ImageView {
  return {
    id: image.id,
    relPath: image.relPath,
    width: image.width,
    height: image.height,
    format: image.format,
    status: image.status,
    ...(image.error ? { error: image.error } : {}),
    addedAt: image.addedAt,
    thumb: `thumb/${image.id}`,
    original: `original/${image.id}`,
  };
}

function toModelView(info: ModelInfo): ModelView {
  const m = info.manifest;
  return { id: m.id, role: m.role, name: m.name, license: m.license.name, present: info.present, user: m.preparation.method === 'user-onnx' };
}

/** The engine behind every transport: owns the open project, the settings and the running jobs. */
export function createStudio(options: StudioOptions): Studio {
  const { emit } = options;
  let session: ProjectSession | null = null;
  const recent = new RecentProjects(options.appDataDir);
  const settingsStore = new AppSettingsStore(options.appDataDir);
  const settings = (): Settings => settingsStore.get();
  const engineFor = (s: Settings) =>
    createDefaultEngine({
      provider: s.executionProvider,
      modelsDir: options.modelsDir,
      band: `${s.bandPercent}%`,
      ...(s.workingMegapixels ? { workingMegapixels: s.workingMegapixels } : {}),
    });
  /** Settings the engine is built with: a change to any of them means a new engine. */
  const engineSettings = (s: Settings) => JSON.stringify([s.executionProvider, s.bandPercent, s.workingMegapixels ?? null]);
  const openWithSettings = (dir: string, create: boolean) =>
    openProject(dir, { create, maxPixels: Math.round(settings().maxMegapixels * 1_000_000) });
  let engine = engineFor(settings());
  // Live jobs (imports) are numbered from 1e9 so they never collide with a project's stored batch jobs.
  const live = new LiveJobs(
    (p) => emit('job.progress', p),
    (p, extra) => emit('job.done', { ...p, ...extra }),
    1_000_000_000,
  );

  const requireSession = (): ProjectSession => {
    if (!session) throw new StudioError('NO_PROJECT', 'No project is open: create or open one first.');
    return session;
  };
  const requireProject = (): Project => requireSession().project;
  const summary = (p: Project): ProjectSummary => ({ path: p.dir, name: p.name, imageCount: p.listImages().length });

  const closeSession = async () => {
    live.cancelAll();
    const current = session;
    session = null;
    await current?.close();
  };

  const switchProject = async (dir: string, create: boolean): Promise<ProjectSummary> => {
    const next = openWithSettings(path.resolve(dir), create);
    await closeSession();
    session = new ProjectSession(next, engine, settings, emit);
    recent.touch(next.dir, next.name);
    session.resumeInterrupted();
    const s = summary(next);
    emit('project.changed', { project: s });
    return s;
  };

  const imageDetail = async (imageId: number) => {
    const s = requireSession();
    s.project.requireImage(imageId);
    await s.ensureAuto(imageId);
    const method = settings().refineMethod;
    const cutout = s.cutoutFor(imageId, method);
    const preview = s.media.previewSizeOf(imageId);
    return {
      // Read after ensureAuto: making the automatic trimap moves the status from 'new' to 'auto'.
      image: toView(s.project.requireImage(imageId)),
      preview: { ref: `preview/${imageId}`, width: preview.width, height: preview.height },
      trimap: s.trimapView(imageId),
      cutout: cutout ? `cutout/${imageId}?v=${encodeURIComponent(s.project.trimaps.revision(imageId))}-${method}` : null,
      method,
    };
  };

  const dispatch = createDispatcher(
    {
      'app.info': async () => {
        const ort = await import('onnxruntime-node');
        const sharp = (await import('sharp')).default;
        return {
          name: 'SHM Studio',
          version: appVersion(),
          shell: options.shell,
          engine: {
            node: process.versions.node,
            platform: process.platform,
            arch: process.arch,
            cpus: os.availableParallelism(),
            onnxruntime: { version: packageVersion('onnxruntime-node'), backends: ort.listSupportedBackends() },
            sharp: {
              version: sharp.versions.sharp ?? packageVersion('sharp'),
              inputFormats: Object.values(sharp.format).filter((f) => f.input.file).map((f) => f.id).sort(),
            },
          },
          project: session ? summary(session.project) : null,
        };
      },
      'project.create': ({ path: dir }) => switchProject(dir, true),
      'project.open': ({ path: dir }) => switchProject(dir, false),
      'project.close': async () => {
        if (!session) return { closed: false };
        await closeSession();
        emit('project.changed', { project: null });
        return { closed: true };
      },
      'project.recent': () => ({ projects: recent.list() }),
      'images.list': ({ status }) => ({ images: requireProject().listImages(status ? { status } : undefined).map(toView) }),
      'images.import': ({ paths }) => {
        const target = requireProject();
        const jobId = live.start('import', 0, async (ctx) => {
          const report = await target.importPaths(paths, {
            signal: ctx.signal,
            onProgress: (p) => ctx.progress({ done: p.done, total: p.total, current: p.current, failed: p.skipped }),
          });
          if (report.imported.length) emit('images.changed', { ids: report.imported.map((i) => i.id) });
          return {
            failed: report.skipped.length,
            message: `${report.imported.length} imported, ${report.duplicates.length} duplicates, ${report.skipped.length} skipped`,
            // The reason names the file already in `path`: keep only the explanation.
            extra: { skipped: report.skipped.map((s) => ({ path: s.path, reason: s.message.replace(`${s.path}: `, '') })) },
          };
        });
        return { jobId };
      },
      'jobs.list': () => ({ jobs: [...(session?.listJobs() ?? []), ...live.list()] }),
      'jobs.cancel': ({ jobId }) => ({ cancelled: live.owns(jobId) ? live.cancel(jobId) : (session?.jobs.cancel(jobId) ?? false) }),
      'jobs.resume': ({ jobId }) => {
        requireSession().jobs.resume(jobId);
        return { jobId };
      },
      'image.open': ({ imageId }) => imageDetail(imageId),
      'trimap.stroke': ({ imageId, stroke }) => {
        const s = requireSession();
        s.project.trimaps.add(imageId, { kind: 'stroke', stroke });
        emit('images.changed', { ids: [imageId] });
        return s.trimapView(imageId);
      },
      'trimap.undo': ({ imageId }) => {
        const s = requireSession();
        s.project.trimaps.undo(imageId);
        return s.trimapView(imageId);
      },
      'trimap.redo': ({ imageId }) => {
        const s = requireSession();
        s.project.trimaps.redo(imageId);
        return s.trimapView(imageId);
      },
      'trimap.reset': ({ imageId }) => {
        // Back to the automatic trimap as a new, undoable step: an empty raster would lose it, so
        // store the automatic trimap itself.
        const s = requireSession();
        return s.project.trimaps.loadAuto(imageId).then((auto) => {
          if (!auto) throw new StudioError('NOT_FOUND', 'This image has no automatic trimap yet: open it first.');
          s.project.trimaps.add(imageId, { kind: 'raster', raster: auto });
          return s.trimapView(imageId);
        });
      },
      'image.refine': ({ imageId, method }) => {
        const s = requireSession();
        s.project.requireImage(imageId);
        const current = settings();
        const jobId = s.jobs.start('matte', { refine: method ?? current.refineMethod, modelId: current.semanticModel, decontaminate: current.decontaminate }, [imageId]);
        return { jobId };
      },
      'export.start': (params) => {
        const s = requireSession();
        const ids = params.imageIds ?? s.project.listImages(params.status ? { status: params.status } : undefined).map((i) => i.id);
        if (!ids.length) throw new StudioError('BAD_REQUEST', 'No images match the export selection.');
        for (const id of ids) s.project.requireImage(id);
        const current = settings();
        // Refuse a bad folder now, as a typed error, rather than as a failed job a moment later.
        const outDir = checkOutputDir(path.resolve(params.outDir), s.project.listImages());
        const jobId = s.jobs.start(
          'export',
          {
            refine: params.refine ?? current.refineMethod,
            modelId: current.semanticModel,
            decontaminate: params.decontaminate ?? current.decontaminate,
            outDir,
            layout: params.layout,
            collision: params.collision,
            ...(params.alpha ? { alphaDir: path.join(outDir, 'alpha') } : {}),
            ...(params.trimap ? { trimapDir: path.join(outDir, 'trimap') } : {}),
          },
          ids,
        );
        return { jobId, total: ids.length };
      },
      'settings.get': () => settings(),
      'settings.set': async (patch) => {
        const before = settings();
        const { workingMegapixels, ...rest } = patch;
        const next = settingsStore.update(workingMegapixels === undefined ? rest : { ...rest, workingMegapixels: workingMegapixels ?? undefined });
        if (engineSettings(next) !== engineSettings(before)) {
          const old = engine;
          engine = engineFor(next);
          if (session) {
            const dir = session.project.dir;
            await closeSession();
            session = new ProjectSession(openWithSettings(dir, false), engine, settings, emit);
          }
          void old.close?.();
        } else if (session && next.maxMegapixels !== before.maxMegapixels) {
          session.project.maxPixels = Math.round(next.maxMegapixels * 1_000_000);
        }
        emit('settings.changed', next);
        return next;
      },
      'models.list': async () => {
        const models = listModels(options.modelsDir).map(toModelView);
        const methods = refinementMethods.map((m) => ({ id: m.id, label: m.label, description: m.description }));
        try {
          const report = (await engine.providerReport()) as { requested: Settings['executionProvider']; active: string; tried: { provider: string; ok: boolean; reason?: string }[] };
          return { models, methods, provider: report };
        } catch (err) {
          return { models, methods, provider: null, providerError: (err as Error).message };
        }
      },
      'models.add': ({ onnxPath, manifest }) => toModelView(addUserModel(onnxPath, manifest, options.modelsDir)),
    },
    options.onInternalError,
  );

  return {
    dispatch,
    async resolveMedia(ref) {
      const parsed = parseMediaRef(ref);
      if (!parsed || !session) return null;
      const s = session;
      const image = s.project.getImage(parsed.id);
      if (!image) return null;
      let file: string | null;
      switch (parsed.kind) {
        case 'thumb':
          file = await s.project.thumbnailFile(image.id);
          break;
        case 'original':
          file = s.project.originalFile(image.id);
          break;
        case 'preview':
          file = await s.media.previewFile(image.id);
          break;
        case 'trimap':
          file = await s.media.trimapFile(image.id);
          break;
        case 'auto':
          file = await s.media.autoTrimapFile(image.id);
          break;
        case 'cutout': {
          const full = s.cutoutFor(image.id, settings().refineMethod);
          file = full ? await s.media.cutoutFile(image.id, full) : null;
          break;
        }
      }
      return file ? { file, mime: mimeByExt[path.extname(file).toLowerCase()] ?? 'application/octet-stream' } : null;
    },
    async close() {
      await closeSession();
      await engine.close?.();
    },
  };
}
