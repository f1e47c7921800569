import type { RgbImage } from '../imaging/raster';
import { resizeBilinear } from '../inference/resize';
import { cachedWorkingImage } from './working-image';
import { cropView, foregroundBox, personView, tileViews, unmirror, ViewMerger, type View } from './views';
import type { Box } from './detector';

/** Any segmenter: foreground probability (0..1) at the given image's size. */
export type Segmenter = (image: RgbImage) => Promise<Float32Array>;

export interface MultiViewOptions {
  /**
   * Longer side of the working image the views are cut from, the map they are merged on and (by
   * default) the band is planned on. Default 384: a 3:2 frame's squares are then the model's own
   * 256 px, so a larger map only upsamples what the model said. In one run of the dev portraits
   * (closed-form, mean SAD): 10.177 at 384, 10.081 at 448, 10.183 at 512 (the stage before this
   * default, at 512: 10.169); CPU per 2 MP photo against a single pass + fixed band of the same
   * run: ×0.86, ×0.89, ×1.04 (a loaded machine, /tmp measurements of the engine's stage).
   */
  workingSide?: number;
  /**
   * The whole frame squashed to the model's square (default true; always when the frame gets no
   * squares). It pays: without it the dev portraits' mean SAD rose 10.15 → 10.41 in bench/semantic-eval.ts.
   */
  full?: boolean;
  /** Squares along the long side (default true). */
  tiles?: boolean;
  /** A square around the person found by the first passes, when it is smaller than the frame's short side (default true). */
  person?: boolean;
  /** The whole frame mirrored as well (default false: on the dev portraits it raised the mean SAD, 10.41 → 10.65 and → 12.7 in two runs of bench/semantic-eval.ts, at 1.4× the views' CPU). */
  mirror?: boolean;
}

export interface WorkingViews {
  /** The merged probability at working size, which the later semantic steps use. */
  work: { width: number; height: number; prob: Float32Array };
  views: View[];
  /** Milliseconds per part: scale, each view kind (model calls and merging). */
  ms: Record<string, number>;
}

export interface MultiViewResult extends WorkingViews {
  /** Merged probability at the image's size. */
  prob: Float32Array;
}

export const DEFAULT_MULTI_VIEW: Required<MultiViewOptions> = { workingSide: 384, full: true, tiles: true, person: true, mirror: false };

/**
 * Looks at the person more than once: the whole frame (squashed to the model's square, as a single
 * pass does), squares along the long side that keep the aspect ratio, optionally the mirrored
 * frame, then a square around the person the first views found, each merged with weights that
 * trust a view where it is confident (ViewMerger).
 */
export async function segmentMultiView(segment: Segmenter, image: RgbImage, options: MultiViewOptions = {}): Promise<MultiViewResult> {
  const r = await segmentWorking(segment, image, options);
  const t = performance.now();
  const { width: w, height: h, prob: merged } = r.work;
  const prob = w === image.width && h === image.height ? merged : resizeBilinear(merged, w, h, 1, image.width, image.height);
  r.ms.upsample = performance.now() - t;
  return { ...r, prob };
}

/** segmentMultiView without the upsample: the merged views at working size only. */
/** `faces`: detected faces as fractions of the frame; they frame the person crop (views.ts personView). */
export async function segmentWorking(segment: Segmenter, image: RgbImage, options: MultiViewOptions = {}, faces: readonly Box[] = []): Promise<WorkingViews> {
  const o = { ...DEFAULT_MULTI_VIEW, ...options };
  const ms: Record<string, number> = {};
  let t = performance.now();
  const lap = (part: string) => {
    const now = performance.now();
    ms[part] = (ms[part] ?? 0) + now - t;
    t = now;
  };
  const work = cachedWorkingImage(image, o.workingSide);
  const { width: w, height: h } = work;
  lap('scale');
  const merger = new ViewMerger(w, h);
  const views: View[] = [];
  const look = async (batch: View[], part: string) => {
    // Sent together: the inference thread works through them while this one merges.
    const answers = await Promise.all(batch.map((v) => segment(v.kind === 'full' && !v.mirrored ? work : cropView(work, v))));
    batch.forEach((v, k) => {
      const p = v.mirrored ? unmirror(answers[k], v.w, v.h) : answers[k];
      merger.add(v, p);
      views.push(v);
    });
    lap(part);
  };
  const full: View = { kind: 'full', x: 0, y: 0, w, h, mirrored: false };
  const tiles = o.tiles ? tileViews(w, h) : [];
  // Without squares (a near-square frame) the whole frame is the only view that sees it all.
  if (o.full || tiles.length === 0) await look([full, ...(o.mirror ? [{ ...full, mirrored: true }] : [])], 'full');
  if (tiles.length > 0) await look(tiles, 'tiles');
  let merged = merger.result();
  if (o.person) {
    const box = foregroundBox(merged, w, h);
    const view = box && personView(box, w, h, undefined, faces);
    // Only a crop that looks closer than the squares do: a larger one sees the person at a lower
    // resolution than they already did (on the dev portraits, at a 512 px working size, it was
    // 385-423 px against squares of 341; leaving it out gave mean SAD 10.184 against 10.149 in one
    // run of bench/semantic-eval.ts, for one model run of four less).
    if (view && view.w < Math.min(w, h)) {
      await look([view], 'person');
      merged = merger.result();
    }
  }
  return { work: { width: w, height: h, prob: merged }, views, ms };
}
