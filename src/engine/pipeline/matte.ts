import { normaliseTrimap, TRIMAP_BG, TRIMAP_FG } from '../../shared/strokes';
import type { TrimapProbabilities } from '../inference/preprocess';
import { trimapFromProbabilities } from './shm-trimap';
import type { MatteRequest, MatteResult, PipelineEngine, RefineHints, StageTimings } from './types';

export { refinementMethodIds as CLASSICAL_METHODS } from '../matting/alpha/methods';

/**
 * Known trimap pixels are exact: foreground 1, background 0, whatever the refiner returned there;
 * unknown ones are clamped to 0..1 (NaN to 0). Pins `alpha` in place and returns its 8-bit form,
 * in one pass over the image on the caller's thread. `pin` false (the SHM fusion's alpha) only clamps.
 */
function pinKnownToBytes(alpha: Float32Array, trimap: Uint8Array, pin = true): Uint8Array {
  const out = new Uint8Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) {
    const t = pin ? trimap[i] : -1;
    if (t === TRIMAP_FG) {
      alpha[i] = 1;
      out[i] = 255;
    } else if (t === TRIMAP_BG) {
      alpha[i] = 0;
    } else {
      const a = alpha[i];
      if (a >= 1) {
        alpha[i] = 1;
        out[i] = 255;
      } else if (a > 0) out[i] = Math.round(a * 255);
      else alpha[i] = 0; // negative or NaN
    }
  }
  return out;
}

async function timed<T>(timings: StageTimings, stage: keyof StageTimings, fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings[stage] = (timings[stage] ?? 0) + performance.now() - t0;
  }
}

/**
 * One image end to end after decoding: automatic trimap from the semantic model (unless given) →
 * the user's edits → refinement of the unknown band → foreground colours.
 */
export async function matteImage(req: MatteRequest, engine: PipelineEngine): Promise<MatteResult> {
  const { image, signal } = req;
  const { width, height } = image;
  const timings: StageTimings = {};
  let provider: string | undefined;
  let autoTrimap: Uint8Array | undefined;
  let trimap: Uint8Array;
  let prob: Float32Array | undefined;
  let soft: TrimapProbabilities | undefined;

  if (req.trimap) {
    if (req.trimap.length !== width * height) throw new RangeError(`Trimap is ${req.trimap.length} pixels; the image is ${width}×${height}`);
    trimap = normaliseTrimap(req.trimap);
  } else {
    const seg = await timed(timings, 'segment', () => engine.segment(req.modelId, image, signal));
    provider = seg.provider;
    prob = seg.prob;
    // An SHM T-Net's trimap is its argmax; its soft probabilities feed the M-Net.
    const t = seg.trimap;
    autoTrimap = await timed(timings, 'trimap', () => (t ? trimapFromProbabilities(t) : engine.makeTrimap(seg.prob, width, height, image)));
    trimap = autoTrimap;
    if (t) soft = t;
  }
  signal?.throwIfAborted();

  const hints: RefineHints = { signal };
  if (prob) hints.prob = prob;
  if (soft) hints.trimapProbabilities = soft;
  // The refinement is most of an image's time: it spans 5-90 % of the image's progress.
  const report = req.onProgress;
  if (report) hints.onProgress = (f) => report(0.05 + 0.85 * Math.min(1, Math.max(0, f)));
  const refined = await timed(timings, 'refine', () => engine.refine(req.refine, image, trimap, hints));
  report?.(0.9);
  provider ??= refined.provider;
  const alphaF = refined.alpha;
  const alpha = pinKnownToBytes(alphaF, trimap, !refined.fused);
  signal?.throwIfAborted();

  let foreground: Uint8Array | undefined;
  if (req.decontaminate !== false) foreground = await timed(timings, 'foreground', () => engine.estimateForeground(image, alphaF, signal));

  const result: MatteResult = { width, height, rgb: image.data, alpha, trimap, timings };
  if (autoTrimap) result.autoTrimap = autoTrimap;
  if (foreground) result.foreground = foreground;
  if (provider) result.provider = provider;
  return result;
}
