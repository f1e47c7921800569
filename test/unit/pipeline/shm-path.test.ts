import { describe, expect, it } from 'vitest';
import { matteImage } from '../../../src/engine/pipeline/matte';
import { trimapFromProbabilities } from '../../../src/engine/pipeline/shm-trimap';
import type { PipelineEngine, RefineHints } from '../../../src/engine/pipeline/types';
import type { TrimapProbabilities } from '../../../src/engine/inference/preprocess';

// Four pixels: sure background, unknown, sure-ish foreground (Fs 0.7, Us 0.2), a tie of unknown and foreground.
const probs: TrimapProbabilities = {
  background: Float32Array.of(0.9, 0.1, 0.1, 0.2),
  unknown: Float32Array.of(0.05, 0.8, 0.2, 0.4),
  foreground: Float32Array.of(0.05, 0.1, 0.7, 0.4),
};
const alphaR = Float32Array.of(0.5, 0.5, 0.5, 0.5);

/** An engine whose semantic model is an SHM T-Net; its "M-Net" fuses alpha = Fs + Us * alpha_r as engine.ts does. */
function shmEngine(seen: { hints?: RefineHints; trimap?: Uint8Array }): PipelineEngine {
  return {
    segment: () => Promise.resolve({ prob: Float32Array.of(0, 0.5, 0.8, 0.6), provider: 'cpu', trimap: probs }),
    makeTrimap: () => Promise.reject(new Error('a T-Net trimap is its argmax, not a thresholded probability')),
    refine: (_method, _image, trimap, hints) => {
      seen.hints = hints;
      seen.trimap = Uint8Array.from(trimap);
      const soft = hints.trimapProbabilities;
      if (!soft) return Promise.resolve({ alpha: Float32Array.from(alphaR) });
      return Promise.resolve({ alpha: soft.foreground.map((f, i) => f + soft.unknown[i] * alphaR[i]), fused: true });
    },
    estimateForeground: (image) => Promise.resolve(new Uint8Array(image.data.length)),
  };
}

const image = { width: 4, height: 1, data: new Uint8Array(12).fill(50) };

describe('the SHM path (T-Net → M-Net → fusion)', () => {
  it('takes the argmax trimap (ties to unknown) and passes the soft probabilities to the matting model', async () => {
    expect(Array.from(trimapFromProbabilities(probs))).toEqual([0, 128, 255, 128]);
    const seen: { hints?: RefineHints; trimap?: Uint8Array } = {};
    const r = await matteImage({ image, refine: 'my-mnet', modelId: 'my-tnet' }, shmEngine(seen));
    expect(Array.from(seen.trimap ?? [])).toEqual([0, 128, 255, 128]);
    expect(seen.hints?.trimapProbabilities).toBe(probs);
    // Fused alpha, not pinned to the hard trimap: the "foreground" pixel keeps 0.7 + 0.2 * 0.5, the "background" one 0.05 + 0.05 * 0.5.
    expect(Array.from(r.alpha)).toEqual([19, 128, 204, 153]);
    expect(Array.from(r.autoTrimap ?? [])).toEqual([0, 128, 255, 128]);
  });

  it('takes the hard path with a trimap the user gave (known pixels pinned)', async () => {
    const seen: { hints?: RefineHints; trimap?: Uint8Array } = {};
    const r = await matteImage({ image, refine: 'my-mnet', modelId: 'my-tnet', trimap: Uint8Array.of(0, 255, 255, 128) }, shmEngine(seen));
    expect(seen.hints?.trimapProbabilities).toBeUndefined();
    expect(Array.from(r.alpha)).toEqual([0, 255, 255, 128]);
  });
});
