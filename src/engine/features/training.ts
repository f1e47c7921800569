import type { Settings } from '../../shared/contract';
import { StudioError } from '../../shared/errors';
import { defaultRefinementMethod } from '../matting/alpha/methods';
import { DEFAULT_SEMANTIC_MODEL } from '../models/defaults';
import { defaultModelsDir } from '../models/models-dir';
import { defaultTrainingImages } from '../training/dataset';
import { checkPython, resolvePython } from '../training/python';
import { deleteUserModel, importModelFolder } from '../training/trained-models';
import type { FeatureHandlers, StudioContext } from './context';
import { toModelView } from './settings';

/** The learning studio: train the open project's SHM pair, follow the run, and manage trained pairs. */
export function setupTraining(
  ctx: StudioContext,
): FeatureHandlers<'training.check' | 'training.start' | 'training.status' | 'training.log' | 'models.delete' | 'models.import'> {
  const modelsDir = () => ctx.modelsDir ?? defaultModelsDir();
  return {
    'training.check': () => checkPython(resolvePython(ctx.settings().pythonPath)),
    'training.start': ({ imageIds, ...params }) => {
      const s = ctx.requireSession();
      const ids = imageIds ?? defaultTrainingImages(s.project).ids;
      if (!ids.length) throw new StudioError('BAD_REQUEST', 'No image to learn from: correct the trimaps of the images the automatic result gets wrong (or refine some), or select some.');
      for (const id of ids) s.project.requireImage(id);
      return s.training.start(params, ids);
    },
    'training.status': ({ jobId }) => ctx.requireSession().training.status(jobId),
    'training.log': ({ jobId, lines }) => ctx.requireSession().training.log(jobId, lines),
    'models.delete': async ({ id }) => {
      const deleted = deleteUserModel(modelsDir(), id);
      // A deleted model in use: the settings fall back to the defaults.
      const current = ctx.settings();
      const patch: Partial<Settings> = {};
      if (deleted.includes(current.semanticModel)) patch.semanticModel = DEFAULT_SEMANTIC_MODEL;
      if (deleted.includes(current.refineMethod)) patch.refineMethod = defaultRefinementMethod;
      if (Object.keys(patch).length) await ctx.updateSettings(patch);
      return { deleted };
    },
    'models.import': ({ dir }) => ({ models: importModelFolder(dir, modelsDir()).map(toModelView) }),
  };
}
