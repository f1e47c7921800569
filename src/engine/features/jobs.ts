import path from 'node:path';
import { StudioError } from '../../shared/errors';
import { checkOutputFolders } from '../export/paths';
import type { FeatureHandlers, StudioContext } from './context';

/** Batch work: refinement and export jobs (stored in the project, resumable) and the job list. */
export function setupJobs(ctx: StudioContext): FeatureHandlers<'image.refine' | 'export.start' | 'jobs.list' | 'jobs.cancel' | 'jobs.resume'> {
  return {
    'image.refine': ({ imageId, method }) => {
      const s = ctx.requireSession();
      s.project.requireImage(imageId);
      const current = ctx.settings();
      const jobId = s.jobs.start('matte', { refine: method ?? current.refineMethod, modelId: current.semanticModel, decontaminate: current.decontaminate }, [imageId]);
      return { jobId };
    },
    'export.start': (params) => {
      const s = ctx.requireSession();
      const ids = params.imageIds ?? s.project.listImages(params.status ? { status: params.status } : undefined).map((i) => i.id);
      if (!ids.length) throw new StudioError('BAD_REQUEST', 'No images match the export selection.');
      for (const id of ids) s.project.requireImage(id);
      const current = ctx.settings();
      // Refuse a bad folder now, as a typed error, rather than as a failed job a moment later;
      // a folder that does not exist yet is made (after the checks), as desktop apps do.
      const [outDir] = checkOutputFolders([{ label: 'Output folder', dir: path.resolve(params.outDir) }], s.project.listImages(), { create: true });
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
      s.project.exportDir = outDir;
      return { jobId, total: ids.length };
    },
    'jobs.list': () => ({ jobs: [...(ctx.session?.listJobs() ?? []), ...ctx.live.list()] }),
    'jobs.cancel': ({ jobId }) => {
      if (ctx.live.owns(jobId)) return { cancelled: ctx.live.cancel(jobId) };
      const s = ctx.session;
      return { cancelled: (s?.training.owns(jobId) ? s.training.cancel(jobId) : s?.jobs.cancel(jobId)) ?? false };
    },
    'jobs.resume': ({ jobId }) => {
      const s = ctx.requireSession();
      if (s.training.owns(jobId)) s.training.resume(jobId);
      else s.jobs.resume(jobId);
      return { jobId };
    },
  };
}
