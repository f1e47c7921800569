import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AppInfo, EventName, Events, ImageView, ProjectSummary } from '../shared/contract';
import { parseMediaRef } from '../shared/contract';
import { StudioError } from '../shared/errors';
import { type Dispatch, createDispatcher } from './api/dispatch';
import { LiveJobs } from './api/live-jobs';
import { type ImageRecord, type Project, RecentProjects, openProject } from './project';

const requireHere = createRequire(import.meta.url);

export interface StudioOptions {
  /** Per-user data: recent projects, settings. */
  appDataDir: string;
  shell: AppInfo['shell'];
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /** Called with unexpected errors (bugs), for the log. */
  onInternalError?(err: unknown): void;
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

/** The engine behind every transport: owns the open project and the running jobs. */
export function createStudio(options: StudioOptions): Studio {
  const { emit } = options;
  let project: Project | null = null;
  const recent = new RecentProjects(options.appDataDir);
  const jobs = new LiveJobs(
    (p) => emit('job.progress', p),
    (p, extra) => emit('job.done', { ...p, ...extra }),
  );

  const requireProject = (): Project => {
    if (!project) throw new StudioError('NO_PROJECT', 'No project is open: create or open one first.');
    return project;
  };

  const summary = (p: Project): ProjectSummary => ({ path: p.dir, name: p.name, imageCount: p.listImages().length });

  const switchProject = (dir: string, create: boolean): ProjectSummary => {
    const next = openProject(path.resolve(dir), { create });
    jobs.cancelAll();
    project?.close();
    project = next;
    recent.touch(next.dir, next.name);
    const s = summary(next);
    emit('project.changed', { project: s });
    return s;
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
          project: project ? summary(project) : null,
        };
      },
      'project.create': ({ path: dir }) => switchProject(dir, true),
      'project.open': ({ path: dir }) => switchProject(dir, false),
      'project.close': () => {
        if (!project) return { closed: false };
        jobs.cancelAll();
        project.close();
        project = null;
        emit('project.changed', { project: null });
        return { closed: true };
      },
      'project.recent': () => ({ projects: recent.list() }),
      'images.list': ({ status }) => ({ images: requireProject().listImages(status ? { status } : undefined).map(toView) }),
      'images.import': ({ paths }) => {
        const target = requireProject();
        const jobId = jobs.start('import', 0, async (ctx) => {
          const report = await target.importPaths(paths, {
            signal: ctx.signal,
            onProgress: (p) => ctx.progress({ done: p.done, total: p.total, current: p.current, failed: p.skipped }),
          });
          if (report.imported.length) emit('images.changed', { ids: report.imported.map((i) => i.id) });
          return {
            failed: report.skipped.length,
            message: `${report.imported.length} imported, ${report.duplicates.length} duplicates, ${report.skipped.length} skipped`,
            extra: { skipped: report.skipped.map((s) => ({ path: s.path, reason: `${s.reason}: ${s.message}` })) },
          };
        });
        return { jobId };
      },
      'jobs.list': () => ({ jobs: jobs.list() }),
      'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    },
    options.onInternalError,
  );

  return {
    dispatch,
    async resolveMedia(ref) {
      const parsed = parseMediaRef(ref);
      if (!parsed || !project) return null;
      const image = project.getImage(parsed.id);
      if (!image) return null;
      const file = parsed.kind === 'thumb' ? await project.thumbnailFile(image.id) : project.originalFile(image.id);
      return { file, mime: mimeByExt[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
    },
    async close() {
      jobs.cancelAll();
      project?.close();
      project = null;
    },
  };
}
