import type { RgbImage } from '../imaging/raster';
import { faceFramedBox, type Box } from './detector';

/** A square (or whole-frame) region of the working image the segmenter looks at. */
export interface View {
  kind: 'full' | 'tile' | 'person';
  /** Top-left corner and size in working-image pixels; may reach past the frame (edges replicated). */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Run on the horizontally mirrored crop, its answer mirrored back. */
  mirrored: boolean;
}

/** The crop of `view` out of `image`, pixels past the frame replicated from its edge. */
export function cropView(image: RgbImage, view: View): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(view.w * view.h * 3);
  // A crop inside the frame, as the squares along the long side are, is a copy of rows.
  const rows = !view.mirrored && view.x >= 0 && view.x + view.w <= width;
  for (let y = 0; y < view.h; y++) {
    const sy = Math.min(height - 1, Math.max(0, view.y + y));
    if (rows) {
      const s = (sy * width + view.x) * 3;
      out.set(data.subarray(s, s + view.w * 3), y * view.w * 3);
      continue;
    }
    for (let x = 0; x < view.w; x++) {
      const vx = view.mirrored ? view.w - 1 - x : x;
      const sx = Math.min(width - 1, Math.max(0, view.x + vx));
      const s = (sy * width + sx) * 3;
      const o = (y * view.w + x) * 3;
      out[o] = data[s];
      out[o + 1] = data[s + 1];
      out[o + 2] = data[s + 2];
    }
  }
  return { width: view.w, height: view.h, data: out };
}

/** At most this many squares: a panorama's would cost a model run each (the full view still sees it all). */
const MAX_TILES = 4;

/** Squares along the long side of a w×h frame: two (or more) overlapping ones that cover it. */
export function tileViews(w: number, h: number): View[] {
  const side = Math.min(w, h);
  const long = Math.max(w, h);
  if (long <= side * 1.1) return [];
  const count = Math.min(MAX_TILES, Math.ceil(long / side));
  const views: View[] = [];
  for (let k = 0; k < count; k++) {
    const start = Math.round(count === 1 ? 0 : (k * (long - side)) / (count - 1));
    views.push(w >= h ? { kind: 'tile', x: start, y: 0, w: side, h: side, mirrored: false } : { kind: 'tile', x: 0, y: start, w: side, h: side, mirrored: false });
  }
  return views;
}

/**
 * A square around the box (x0..x1, y0..y1) of the person found by a first pass, with `margin`
 * (fraction of its longer side) on every side; it may reach past the frame, where the crop
 * replicates the edge so a person cut by the frame stays whole. Null when it would not be
 * smaller than the frame (the full view already sees it that way). With `faces` (fractions of the
 * frame, detector.ts), the box is framed by them: kept near the faces and holding each head whole.
 */
export function personView(found: Box, w: number, h: number, margin = 0.15, faces: readonly Box[] = []): View | null {
  const box = faces.length ? faceFramedBox(found, faces, w, h) : found;
  const bw = box.x1 - box.x0 + 1;
  const bh = box.y1 - box.y0 + 1;
  const side = Math.round(Math.max(bw, bh) * (1 + 2 * margin));
  if (side >= Math.max(w, h) * 0.9) return null;
  const cx = (box.x0 + box.x1 + 1) / 2;
  const cy = (box.y0 + box.y1 + 1) / 2;
  // Inside the frame where possible: the replicated margin carries no information.
  const place = (c: number, size: number) => (side >= size ? Math.round(c - side / 2) : Math.min(size - side, Math.max(0, Math.round(c - side / 2))));
  return { kind: 'person', x: place(cx, w), y: place(cy, h), w: side, h: side, mirrored: false };
}

/** Bounding box of the pixels at or above `threshold`, or null when there are none. */
export function foregroundBox(prob: Float32Array, w: number, h: number, threshold = 0.5): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (prob[row + x] >= threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

/**
 * Accumulates the views' probabilities into one map, each pixel weighted by how sure the view is
 * there (|2p − 1|, plus a floor so a pixel every view doubts still gets their mean) and by how far
 * it lies from a crop border inside the frame (the segmenter sees a cut-off person there).
 */
export class ViewMerger {
  private readonly sum: Float32Array;
  private readonly weight: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    /** Confidence floor: the weight of a view where it says 0.5. */
    private readonly floor = 0.05,
    /** Feather at crop borders inside the frame, as a fraction of the crop side. */
    private readonly feather = 0.12,
  ) {
    this.sum = new Float32Array(width * height);
    this.weight = new Float32Array(width * height);
  }

  /** `prob` is the view's answer at crop size (view.w × view.h), already mirrored back if needed. */
  add(view: View, prob: Float32Array, trust = 1): void {
    const { width, height } = this;
    const fx = Math.max(1, this.feather * view.w);
    const fy = Math.max(1, this.feather * view.h);
    // Borders that coincide with (or lie past) the frame edge are not cuts of the scene.
    const cutLeft = view.x > 0;
    const cutTop = view.y > 0;
    const cutRight = view.x + view.w < width;
    const cutBottom = view.y + view.h < height;
    const y0 = Math.max(0, view.y);
    const y1 = Math.min(height, view.y + view.h);
    const x0 = Math.max(0, view.x);
    const x1 = Math.min(width, view.x + view.w);
    // The feather across the view, the same for every row (the row's own feather caps it).
    const rx = new Float64Array(x1 - x0);
    for (let x = x0; x < x1; x++) {
      const vx = x - view.x;
      let r = 1;
      if (cutLeft) r = Math.min(r, (vx + 0.5) / fx);
      if (cutRight) r = Math.min(r, (view.w - vx - 0.5) / fx);
      rx[x - x0] = r;
    }
    const { sum, weight, floor } = this;
    for (let y = y0; y < y1; y++) {
      const vy = y - view.y;
      let ry = 1;
      if (cutTop) ry = Math.min(ry, (vy + 0.5) / fy);
      if (cutBottom) ry = Math.min(ry, (view.h - vy - 0.5) / fy);
      const src = vy * view.w - view.x;
      const row = y * width;
      for (let x = x0; x < x1; x++) {
        const f = rx[x - x0];
        const p = prob[src + x];
        const wgt = trust * (f < ry ? f : ry) * (Math.abs(2 * p - 1) + floor);
        sum[row + x] += wgt * p;
        weight[row + x] += wgt;
      }
    }
  }

  /** The merged probability; pixels no view covered (none, with a full view) get 0. */
  result(): Float32Array {
    const out = new Float32Array(this.sum.length);
    for (let i = 0; i < out.length; i++) out[i] = this.weight[i] > 0 ? this.sum[i] / this.weight[i] : 0;
    return out;
  }
}

/** Un-mirrors a view's answer in place (row by row). */
export function unmirror(prob: Float32Array, w: number, h: number): Float32Array {
  for (let y = 0; y < h; y++) prob.subarray(y * w, (y + 1) * w).reverse();
  return prob;
}
