import { listModels } from '../models/registry';
import { trainingInfoOf } from '../training/trained-models';
import { WEBCAM_AUTO_MODEL, type WebcamModelOption } from '../../shared/webcam';

/** A trained pair the webcam can run: its T-Net and M-Net ids. */
export interface WebcamPair {
  /** The pair id (what the window sends to choose it). */
  id: string;
  label: string;
  tnet: string;
  mnet: string;
}

/** The webcam's own model: the landscape selfie segmenter with the guided-filter refinement. */
export const AUTO_MODEL_LABEL = 'Automatic (selfie segmenter)';
export const autoModelOption: WebcamModelOption = { id: WEBCAM_AUTO_MODEL, label: AUTO_MODEL_LABEL };

/**
 * The trained pairs of a models folder, by the model manager's rule (the renderer's
 * trainedPairs): a trimap model and a matting model whose training data name the same pair.
 */
export function listWebcamPairs(modelsDir?: string): WebcamPair[] {
  const models = listModels(modelsDir).map((info) => ({ manifest: info.manifest, training: trainingInfoOf(info.manifestPath) }));
  const pairs: WebcamPair[] = [];
  for (const tnet of models) {
    const pairId = tnet.training?.pairId;
    if (tnet.manifest.role !== 'trimap' || !pairId || pairId === WEBCAM_AUTO_MODEL) continue;
    const mnet = models.find((m) => m.manifest.role === 'matting' && m.training?.pairId === pairId);
    if (mnet) pairs.push({ id: pairId, label: `Trained pair ${pairId} (${tnet.training?.project}, ${tnet.training?.images} images)`, tnet: tnet.manifest.id, mnet: mnet.manifest.id });
  }
  return pairs.sort((a, b) => a.id.localeCompare(b.id));
}

/** What the window offers: the automatic model first, then each pair. */
export function webcamModelOptions(pairs: WebcamPair[]): WebcamModelOption[] {
  return [autoModelOption, ...pairs.map(({ id, label }) => ({ id, label }))];
}
