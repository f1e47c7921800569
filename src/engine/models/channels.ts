// Without zod (see errors.ts): used by the inference worker's pre-processing.
import type { ModelManifest } from './manifest.js';

/** Channel count of the network input: 3, or 6 for an M-Net (image + trimap probabilities). */
export function inputChannels(m: ModelManifest): number {
  return m.input.trimapChannels ? 6 : 3;
}

/** Channel count of the network output. */
export function outputChannels(m: ModelManifest): number {
  return m.output.meaning === 'trimap-logits' ? 3 : 1;
}
