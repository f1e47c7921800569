/**
 * The semantic stage of the automatic trimap for segmenter models: look at the person in several
 * views (multi-view.ts), keep the subject (subject.ts), then a band that is wide only where the
 * boundary is hard (smart-band.ts). Pure TypeScript on typed arrays; the model is a callback.
 */
import type { RgbImage } from '../imaging/raster';
import { resizeBilinear } from '../inference/resize';
import { DEFAULT_MULTI_VIEW, segmentMultiView, type MultiViewOptions, type Segmenter } from './multi-view';
import { SMART_BAND_DEFAULTS, smartTrimap, type SmartBand, type SmartBandOptions } from './smart-band';
import { selectSubject, type SubjectOptions, type SubjectSelection } from './subject';
import type { View } from './views';
import { cachedWorkingImage, nearestLookup } from './working-image';

export { segmentMultiView, type MultiViewOptions, type MultiViewResult, type Segmenter } from './multi-view';
export { smartTrimap, boundaryComplexity, SMART_BAND_DEFAULTS, type SmartBand, type SmartBandOptions } from './smart-band';
export { selectSubject, keepSubjectAt, keepTrimapSubjectAt, applySelection, labelRegions, type SubjectOptions, type SubjectSelection } from './subject';
export type { View } from './views';

export interface SemanticOptions {
  /** The views the segmenter sees; false: one pass over the whole frame. */
  views?: MultiViewOptions | false;
  /** Which regions are kept; false: all of them. */
  subject?: SubjectOptions | false;
  /** The smart band; false: the fixed band of makeTrimap. */
  band?: SmartBandOptions | false;
}

export interface SemanticResult {
  /** Foreground probability at the image's size, dropped regions cleared. */
  prob: Float32Array;
  /** The working resolution the views ran at, and its probability before selection. */
  work: { width: number; height: number; prob: Float32Array; image: RgbImage };
  views: View[];
  /** The selection, on a map of at most SELECT_SIDE px (its size in selectionSize). */
  selection: SubjectSelection | null;
  selectionSize?: { width: number; height: number };
  /** Milliseconds per part. */
  ms: Record<string, number>;
}

/** Longer side of the map the subject is selected on (measured: 116 → 33 ms at 512 → 256 on a loaded 2-core machine). */
const SELECT_SIDE = 256;

/** The probability of the automatic trimap: multi-view segmentation, then subject selection. */
export async function semanticProbability(segment: Segmenter, image: RgbImage, options: SemanticOptions = {}): Promise<SemanticResult> {
  const views = options.views === false ? null : { ...DEFAULT_MULTI_VIEW, ...options.views };
  const side = views?.workingSide ?? DEFAULT_MULTI_VIEW.workingSide;
  let result: SemanticResult;
  if (views) {
    const r = await segmentMultiView(segment, image, views);
    result = { prob: r.prob, work: { ...r.work, image: cachedWorkingImage(image, side) }, views: r.views, selection: null, ms: r.ms };
  } else {
    const t0 = performance.now();
    const prob = await segment(image);
    const work = cachedWorkingImage(image, side);
    const small = work === image ? prob : resizeBilinear(prob, image.width, image.height, 1, work.width, work.height);
    const full: View = { kind: 'full', x: 0, y: 0, w: work.width, h: work.height, mirrored: false };
    result = { prob, work: { width: work.width, height: work.height, prob: small, image: work }, views: [full], selection: null, ms: { full: performance.now() - t0 } };
  }
  if (options.subject !== false) {
    const t0 = performance.now();
    // Which regions to keep is a coarse question: asked at most SELECT_SIDE px on the longer side.
    const { width: ww, height: wh } = result.work;
    const f = Math.min(1, SELECT_SIDE / Math.max(ww, wh));
    const width = Math.max(1, Math.round(ww * f));
    const height = Math.max(1, Math.round(wh * f));
    const prob = f === 1 ? result.work.prob : resizeBilinear(result.work.prob, ww, wh, 1, width, height);
    const selection = selectSubject(prob, width, height, options.subject ?? {});
    result.selection = selection;
    result.selectionSize = { width, height };
    if (selection.dropped > 0) {
      // Chosen on the small map; each full-size pixel follows its nearest small pixel.
      const { cols, rows } = nearestLookup(image.width, image.height, width, height);
      const kept = Float32Array.from(result.prob);
      for (let y = 0; y < image.height; y++) {
        const row = y * image.width;
        const small = rows[y];
        for (let x = 0; x < image.width; x++) if (selection.cleared[small + cols[x]]) kept[row + x] = 0;
      }
      result.prob = kept;
    }
    result.ms.subject = performance.now() - t0;
  }
  return result;
}

export interface SemanticStage extends SemanticResult {
  /** The smart band made from `prob`, or null when the options ask for the fixed band. */
  band: SmartBand | null;
}

/** The whole semantic stage: the probability (semanticProbability), then its smart band. */
export async function semanticStage(segment: Segmenter, image: RgbImage, options: SemanticOptions = {}): Promise<SemanticStage> {
  const r = await semanticProbability(segment, image, options);
  const t0 = performance.now();
  const band = semanticTrimap(r.prob, image, options);
  if (band) r.ms.band = performance.now() - t0;
  return { ...r, band };
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
  return `views=${views};subject=${subject};band=${band}`;
}
