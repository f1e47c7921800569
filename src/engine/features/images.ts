import { StudioError } from '../../shared/errors';
import type { FeatureHandlers, StudioContext } from './context';
import { toImageView } from './context';

/** The image list, imports, and each image's trimap: open, strokes, undo, redo, reset. */
export function setupImages(ctx: StudioContext): FeatureHandlers<'images.list' | 'images.import' | 'image.open' | 'trimap.stroke' | 'trimap.undo' | 'trimap.redo' | 'trimap.reset'> {
  return {
    'images.list': ({ status }) => ({ images: ctx.requireSession().project.listImages(status ? { status } : undefined).map(toImageView) }),
    'images.import': ({ paths }) => {
      const { project } = ctx.requireSession();
      const jobId = ctx.live.start('import', 0, async (job) => {
        const report = await project.importPaths(paths, {
          signal: job.signal,
          onProgress: (p) => job.progress({ done: p.done, total: p.total, current: p.current, failed: p.skipped }),
        });
        if (report.imported.length) ctx.emit('images.changed', { ids: report.imported.map((i) => i.id), images: report.imported.map(toImageView) });
        return {
          failed: report.skipped.length,
          message: `${report.imported.length} imported, ${report.duplicates.length} duplicates, ${report.skipped.length} skipped`,
          // The reason names the file already in `path`: keep only the explanation.
          extra: { skipped: report.skipped.map((s) => ({ path: s.path, reason: s.message.replace(`${s.path}: `, '') })) },
        };
      });
      return { jobId };
    },
    'image.open': async ({ imageId, method }) => {
      const s = ctx.requireSession();
      s.project.requireImage(imageId);
      await s.ensureAuto(imageId);
      const refine = method ?? ctx.settings().refineMethod;
      const preview = s.media.previewSizeOf(imageId);
      return {
        // Read after ensureAuto: making the automatic trimap moves the status from 'new' to 'auto'.
        image: toImageView(s.project.requireImage(imageId)),
        preview: { ref: `preview/${imageId}`, width: preview.width, height: preview.height },
        trimap: s.trimapView(imageId),
        cutout: s.cutoutRef(imageId, refine),
        method: refine,
      };
    },
    'trimap.stroke': async ({ imageId, stroke }) => {
      const s = ctx.requireSession();
      // Saves arriving together share one transaction (see TrimapHistory.save).
      return s.trimapView(imageId, await s.project.trimaps.save(imageId, { kind: 'stroke', stroke }));
    },
    'trimap.undo': ({ imageId }) => {
      const s = ctx.requireSession();
      s.project.trimaps.undo(imageId);
      return s.trimapView(imageId);
    },
    'trimap.redo': ({ imageId }) => {
      const s = ctx.requireSession();
      s.project.trimaps.redo(imageId);
      return s.trimapView(imageId);
    },
    'trimap.reset': async ({ imageId }) => {
      // Back to the automatic trimap as a new, undoable step: an empty raster would lose it, so
      // store the automatic trimap itself.
      const s = ctx.requireSession();
      const auto = await s.project.trimaps.loadAuto(imageId);
      if (!auto) throw new StudioError('NOT_FOUND', 'This image has no automatic trimap yet: open it first.');
      s.project.trimaps.add(imageId, { kind: 'raster', raster: auto });
      return s.trimapView(imageId);
    },
  };
}
