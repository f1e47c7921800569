/**
 * The semantic stage of the automatic trimap for segmenter models: look at the person in several
 * views (multi-view.ts), keep the subject (subject.ts), then a band that is wide only where the
 * boundary is hard (smart-band.ts). Pure TypeScript on typed arrays; the model is a callback.
 */
import type { RgbImage } from '../imaging/raster';
import { resizeBilinear } from '../inference/resize';
import { DEFAULT_MULTI_VIEW, segmentWorking, type MultiViewOptions, type Segmenter } from './multi-view';
import { SMART_BAND_DEFAULTS, smartTrimap, smartTrimapFromWorking, type SmartBand, type SmartBandOptions } from './smart-band';
import { selectSubject, type SubjectOptions, type SubjectSelection } from './subject';
import type { View } from './views';
import type { Box } from './detector';
import { cachedWorkingImage, nearestLookup } from './working-image';

export { segmentMultiView, type MultiViewOptions, type MultiViewResult, type Segmenter } from './multi-view';
export { smartTrimap, smartTrimapFromWorking, boundaryComplexity, SMART_BAND_DEFAULTS, type SmartBand, type SmartBandOptions } from './smart-band';
export { selectSubject, keepSubjectAt, keepTrimapSubjectAt, applySelection, labelRegions, type SubjectOptions, type SubjectSelection } from './subject';
export type { View } from './views';

export interface SemanticOptions {
  /** The views the segmenter sees; false: one pass over the whole frame. */
  views?: MultiViewOptions | false;
  /** Which regions are kept; false: all of them. */
  subject?: SubjectOptions | false;
  /** The smart band; false: the fixed band of makeTrimap. */
  band?: SmartBandOptions | false;
  /**
   * Model id of a face detector, run on the working image before the views: its faces frame the
   * person crop and keep the regions that hold them. Off unless asked for: on the development
   * portraits it changed nothing (mean SAD 10.183 with and without) for 2-20 ms more.
   */
  detector?: string;
  /** The detected faces as fractions of the frame (the inference thread fills this from `detector`). */
  faces?: Box[];
}

export interface SemanticResult {
  /**
   * Foreground probability at the image's size, dropped regions cleared. From semanticStage with
   * the views and the smart band: bilinear inside the unknown band, the nearest working-size value
   * outside it (on the same side of the threshold as the bilinear value would be).
   */
  prob: Float32Array;
  /** The working resolution the views ran at, and its probability before selection. */
  work: { width: number; height: number; prob: Float32Array; image: RgbImage };
  views: View[];
  /** The selection, on a map of at most SELECT_SIDE px (its size in selectionSize). */
  selection: SubjectSelection | null;
  selectionSize?: { width: number; height: number };
  /** Milliseconds per part. */
  ms: Record<string, number>;
  /** The faces the stage used, as fractions of the frame (none without a detector). */
  faces?: Box[];
}

/** Longer side of the map the subject is selected on (measured: 116 → 33 ms at 512 → 256 on a loaded 2-core machine). */
const SELECT_SIDE = 256;

/** Longer side of the working image the stage cuts its views from (and a detector looks at). */
export function workingSideOf(options: SemanticOptions): number {
  return (options.views === false ? undefined : options.views?.workingSide) ?? DEFAULT_MULTI_VIEW.workingSide;
}

/** The views' merged probability (or the single pass), at working size and, for a single pass, at full size. */
async function look(segment: Segmenter, image: RgbImage, options: SemanticOptions): Promise<{ result: Omit<SemanticResult, 'prob'>; full: Float32Array | null }> {
  const views = options.views === false ? null : { ...DEFAULT_MULTI_VIEW, ...options.views };
  const side = workingSideOf(options);
  if (views) {
    const r = await segmentWorking(segment, image, views, options.faces);
    return { result: { work: { ...r.work, image: cachedWorkingImage(image, side) }, views: r.views, selection: null, ms: r.ms, faces: options.faces }, full: null };
  }
  const t0 = performance.now();
  const prob = await segment(image);
  const work = cachedWorkingImage(image, side);
  const small = work === image ? prob : resizeBilinear(prob, image.width, image.height, 1, work.width, work.height);
  const full: View = { kind: 'full', x: 0, y: 0, w: work.width, h: work.height, mirrored: false };
  return { result: { work: { width: work.width, height: work.height, prob: small, image: work }, views: [full], selection: null, ms: { full: performance.now() - t0 } }, full: prob };
}

/** `prob` (w×h) with the pixels whose nearest selection-map pixel was cleared set to 0 (a new map), or `prob` itself when nothing was dropped. */
function clearDropped(prob: Float32Array, w: number, h: number, selection: SubjectSelection, size: { width: number; height: number }): Float32Array {
  if (selection.dropped === 0) return prob;
  const { cols, rows } = nearestLookup(w, h, size.width, size.height);
  const kept = Float32Array.from(prob);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const small = rows[y];
    for (let x = 0; x < w; x++) if (selection.cleared[small + cols[x]]) kept[row + x] = 0;
  }
  return kept;
}

/**
 * The semantic stage up to the band, without a full-size map unless the single pass made one:
 * the views (or one pass), then the subject selection. `kept` is the working-size probability
 * with the dropped regions cleared; `full` the single pass's full-size one, likewise.
 */
async function selectOnWorking(segment: Segmenter, image: RgbImage, options: SemanticOptions): Promise<{ result: Omit<SemanticResult, 'prob'>; kept: Float32Array; full: Float32Array | null }> {
  const { result, full } = await look(segment, image, options);
  const { width: ww, height: wh, prob: merged } = result.work;
  if (options.subject === false) return { result, kept: merged, full };
  const t0 = performance.now();
  // Which regions to keep is a coarse question: asked at most SELECT_SIDE px on the longer side.
  const f = Math.min(1, SELECT_SIDE / Math.max(ww, wh));
  const width = Math.max(1, Math.round(ww * f));
  const height = Math.max(1, Math.round(wh * f));
  const prob = f === 1 ? merged : resizeBilinear(merged, ww, wh, 1, width, height);
  const selection = selectSubject(prob, width, height, options.faces ? { ...options.subject, faces: options.faces } : (options.subject ?? {}));
  result.selection = selection;
  result.selectionSize = { width, height };
  // Chosen on the small map; each pixel of the larger maps follows its nearest small pixel.
  const kept = clearDropped(merged, ww, wh, selection, result.selectionSize);
  const fullKept = full && clearDropped(full, image.width, image.height, selection, result.selectionSize);
  result.ms.subject = performance.now() - t0;
  return { result, kept, full: fullKept };
}

/** The probability of the automatic trimap at the image's size: multi-view segmentation, then subject selection. */
export async function semanticProbability(segment: Segmenter, image: RgbImage, options: SemanticOptions = {}): Promise<SemanticResult> {
  const { result, kept, full } = await selectOnWorking(segment, image, options);
  if (full) return { ...result, prob: full };
  const t0 = performance.now();
  const { width: w, height: h } = result.work;
  const prob = w === image.width && h === image.height ? kept : resizeBilinear(kept, w, h, 1, image.width, image.height);
  result.ms.upsample = performance.now() - t0;
  return { ...result, prob };
}

export interface SemanticStage extends SemanticResult {
  /** The smart band made from `prob`, or null when the options ask for the fixed band. */
  band: SmartBand | null;
}

/**
 * The whole semantic stage: the probability, then its smart band. With the views, the band is
 * planned on their working-size map and the full-size trimap and probability are painted in
 * one pass (smartTrimapFromWorking: the probability is bilinear inside the band, where the
 * refinement reads it, and the nearest working value outside); without the smart band or the
 * views, the full-size probability is made first, as semanticProbability does.
 */
export async function semanticStage(segment: Segmenter, image: RgbImage, options: SemanticOptions = {}): Promise<SemanticStage> {
  if (options.band === false || options.views === false) {
    const r = await semanticProbability(segment, image, options);
    const t0 = performance.now();
    const band = semanticTrimap(r.prob, image, options);
    if (band) r.ms.band = performance.now() - t0;
    return { ...r, band };
  }
  const { result, kept } = await selectOnWorking(segment, image, options);
  const t0 = performance.now();
  const { prob, ...band } = smartTrimapFromWorking({ width: result.work.width, height: result.work.height, prob: kept }, image, options.band ?? {});
  result.ms.band = performance.now() - t0;
  return { ...result, prob, band };
}

/** The smart band's trimap, or null when the options ask for the fixed band. */
export function semanticTrimap(prob: Float32Array, image: RgbImage, options: SemanticOptions = {}): SmartBand | null {
  return options.band === false ? null : smartTrimap(prob, image, options.band ?? {});
}

/** What, in these options, shapes the automatic trimap: part of the engine's cache key. */
export function semanticSettingsKey(options: SemanticOptions = {}): string {
  const views = options.views === false ? 'single' : JSON.stringify({ ...DEFAULT_MULTI_VIEW, ...options.views });
  const subject = options.subject === false ? 'all' : JSON.stringify(options.subject ?? {});
  const band = options.band === false ? 'fixed' : JSON.stringify({ ...SMART_BAND_DEFAULTS, ...options.band });
  return `views=${views};subject=${subject};band=${band};faces=${options.detector ?? 'off'}`;
}
