import { StudioError } from '../../shared/errors';
import { keepTrimapSubjectAt } from '../semantic/subject';
import type { FeatureHandlers, StudioContext } from './context';

/** Subject selection in the editor: a click keeps the region under it and drops the rest, as one undoable edit. */
export function setupSubject(ctx: StudioContext): FeatureHandlers<'trimap.keepSubject'> {
  return {
    'trimap.keepSubject': async ({ imageId, x, y }) => {
      const s = ctx.requireSession();
      const image = s.project.requireImage(imageId);
      const auto = await s.project.trimaps.loadAuto(imageId);
      if (!auto) throw new StudioError('NOT_FOUND', 'This image has no automatic trimap yet: open it first.');
      if (x >= image.width || y >= image.height) throw new StudioError('BAD_REQUEST', `The point (${Math.round(x)}, ${Math.round(y)}) is outside the ${image.width}×${image.height} photo.`);
      const current = s.project.trimaps.compose(imageId, auto);
      const { trimap } = keepTrimapSubjectAt(current, image.width, image.height, Math.floor(x), Math.floor(y));
      s.project.trimaps.add(imageId, { kind: 'raster', raster: trimap });
      return s.trimapView(imageId);
    },
  };
}
