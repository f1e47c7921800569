import type { Settings } from '../../shared/contract';
import { refinementMethods } from '../matting/alpha/registry';
import { type ModelInfo, addUserModel, listModels } from '../models/registry';
import type { ModelView } from '../../shared/contract';
import { trainingInfoOf } from '../training/trained-models';
import type { FeatureHandlers, StudioContext } from './context';

export function toModelView(info: ModelInfo): ModelView {
  const m = info.manifest;
  const training = trainingInfoOf(info.manifestPath);
  return { id: m.id, role: m.role, name: m.name, license: m.license.name, present: info.present, user: m.preparation.method === 'user-onnx', ...(training ? { training } : {}) };
}

/** Settings, the model list (with the execution provider in use) and adding a user's model. */
export function setupSettings(ctx: StudioContext): FeatureHandlers<'settings.get' | 'settings.set' | 'models.list' | 'models.add'> {
  return {
    'settings.get': () => ctx.settings(),
    'settings.set': ({ workingMegapixels, pythonPath, ...rest }) =>
      // null: back to each method's own working resolution, and to the default Python.
      ctx.updateSettings({
        ...rest,
        ...(workingMegapixels === undefined ? {} : { workingMegapixels: workingMegapixels ?? undefined }),
        ...(pythonPath === undefined ? {} : { pythonPath: pythonPath ?? undefined }),
      }),
    'models.list': async () => {
      const models = listModels(ctx.modelsDir).map(toModelView);
      const methods = refinementMethods.map((m) => ({ id: m.id, label: m.label, description: m.description }));
      try {
        const report = (await ctx.engine.providerReport()) as { requested: Settings['executionProvider']; active: string; tried: { provider: string; ok: boolean; reason?: string }[] };
        return { models, methods, provider: report };
      } catch (err) {
        return { models, methods, provider: null, providerError: (err as Error).message };
      }
    },
    'models.add': ({ onnxPath, manifest }) => toModelView(addUserModel(onnxPath, manifest, ctx.modelsDir)),
  };
}
