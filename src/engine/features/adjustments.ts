import { readAdjustments, writeAdjustments } from '../project/adjustments-store';
import type { FeatureHandlers, StudioContext } from './context';

/** Each image's output adjustments (smooth, feather, contrast, shift edge, decontamination amount): read and stored; export applies them. */
export function setupAdjustments(ctx: StudioContext): FeatureHandlers<'adjustments.get' | 'adjustments.set'> {
  return {
    'adjustments.get': ({ imageId }) => {
      const { project } = ctx.requireSession();
      project.requireImage(imageId);
      return readAdjustments(project.db, imageId);
    },
    'adjustments.set': ({ imageId, adjustments }) => {
      const { project } = ctx.requireSession();
      project.requireImage(imageId);
      writeAdjustments(project.db, imageId, adjustments);
      return readAdjustments(project.db, imageId);
    },
  };
}
