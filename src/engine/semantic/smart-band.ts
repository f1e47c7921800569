import type { RgbImage, Trimap } from '../imaging/raster';
import { resizeBilinear } from '../inference/resize';
import { makeBoxFilter } from '../matting/filters/box-filter';
import { MattingError } from '../matting/errors';
import { assertImage, assertPlane } from '../matting/validate';
import { maskBox, squaredDistanceInBox } from './box-distance';
import { paintFullSize } from './full-size';
import { cachedWorkingImage, nearestLookup, workingSize } from './working-image';

export interface SmartBandOptions {
  /** Probability at or above which a pixel counts as foreground. Default 0.5. */
  threshold?: number;
  /** Scales the whole band (both radii). Default 1. */
  scale?: number;
  /** Band radius where the boundary is crisp, as a fraction of the longer side. Default 0.004. */
  thin?: number;
  /** Band radius where it is uncertain or the image edge is complex, likewise. Default 0.025. */
  wide?: number;
  /** Longer side of the resolution the band is planned at (the known regions stay at full size). Default 384, the views' working size: the stage plans on their map as it is. */
  planSide?: number;
  /** Mean uncertainty (1 − |2p − 1|) of a window at which the band is at its widest. Default 0.6. */
  uncertainSaturation?: number;
  /**
   * Weight of the image's edge incoherence beside the probability's uncertainty. Default 0: on the
   * hair composite it changed nothing (SAD 0.256 vs 0.257) and on real portraits with textured
   * backgrounds it widened the band everywhere (mean SAD 10.80 → 10.83 at 0.3, 12.1 at 1).
   */
  edgeWeight?: number;
  /**
   * Pixels whose probability lies strictly inside (low, high) and within the wide radius of the
   * boundary are unknown too: a soft fringe (hair the segmenter half sees) is covered to its end.
   */
  uncertain?: [low: number, high: number];
}

export const SMART_BAND_DEFAULTS: Required<SmartBandOptions> = { threshold: 0.5, scale: 1, thin: 0.004, wide: 0.025, planSide: 384, uncertainSaturation: 0.6, edgeWeight: 0, uncertain: [0.1, 0.9] };

export interface SmartBand {
  trimap: Trimap;
  /** The plan: band radius (plan pixels) chosen at each pixel, and its size. */
  plan: { width: number; height: number; radius: Float32Array; complexity: Float32Array };
}

/** Mean gradient (grey levels per pixel) at which an incoherent edge counts half. */
const EDGE_STRENGTH = 6;

/**
 * How hard the boundary is around each pixel, 0 (crisp) to 1: the larger of the probability's
 * local uncertainty (mean of 1 − |2p − 1| in the window, saturating at `saturation`) and
 * the image's edge incoherence (1 − |mean gradient| / mean |gradient|: a straight edge's gradients
 * agree, hair's and fur's cancel), the latter weighed by how strong the edges are.
 */
export function boundaryComplexity(prob: Float32Array, image: RgbImage, window: number, saturation: number, edgeWeight: number): Float32Array {
  const { width: w, height: h, data } = image;
  const n = w * h;
  const uncertainty = new Float32Array(n);
  for (let i = 0; i < n; i++) uncertainty[i] = 1 - Math.abs(2 * prob[i] - 1);
  const box = makeBoxFilter(w, h);
  const u = box(uncertainty, window);
  // The uncertainty is read only through its box mean from here on: its array takes the result.
  const out = uncertainty;
  if (edgeWeight === 0) {
    for (let i = 0; i < n; i++) out[i] = Math.min(1, u[i] / saturation);
    return out;
  }
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) grey[i] = 0.299 * data[3 * i] + 0.587 * data[3 * i + 1] + 0.114 * data[3 * i + 2];
  const gx = new Float32Array(n);
  const gy = new Float32Array(n);
  const mag = new Float32Array(n);
  for (let y = 0; y < h; y++) {
    const up = y > 0 ? -w : 0;
    const down = y < h - 1 ? w : 0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const dx = (grey[x < w - 1 ? i + 1 : i] - grey[x > 0 ? i - 1 : i]) / 2;
      const dy = (grey[i + down] - grey[i + up]) / 2;
      gx[i] = dx;
      gy[i] = dy;
      mag[i] = Math.sqrt(dx * dx + dy * dy);
    }
  }
  const mx = box(gx, window);
  const my = box(gy, window);
  const m = box(mag, window);
  for (let i = 0; i < n; i++) {
    const strength = m[i] / (m[i] + EDGE_STRENGTH);
    const incoherence = m[i] > 1e-6 ? 1 - Math.sqrt(mx[i] * mx[i] + my[i] * my[i]) / m[i] : 0;
    const c = Math.max(u[i] / saturation, edgeWeight * incoherence * strength);
    out[i] = c > 1 ? 1 : c;
  }
  return out;
}

type ResolvedBand = Required<SmartBandOptions>;

function resolveOptions(options: SmartBandOptions): ResolvedBand {
  const o = { ...SMART_BAND_DEFAULTS, ...options };
  for (const k of ['threshold', 'scale', 'thin', 'wide', 'planSide', 'uncertainSaturation', 'edgeWeight'] as const) {
    if (!Number.isFinite(o[k]) || o[k] < 0) throw new MattingError('INVALID_OPTIONS', `Smart band option ${k} must be a number >= 0, got ${o[k]}`);
  }
  if (!Array.isArray(o.uncertain) || o.uncertain.length !== 2 || !o.uncertain.every(Number.isFinite)) {
    throw new MattingError('INVALID_OPTIONS', 'Smart band option uncertain must be [low, high]');
  }
  if (o.wide < o.thin) throw new MattingError('INVALID_OPTIONS', `Smart band: wide (${o.wide}) must be at least thin (${o.thin})`);
  return o;
}

/** Size of the map the band of a width×height image is planned on. */
function planSize(width: number, height: number, o: ResolvedBand): { width: number; height: number } {
  return workingSize(width, height, Math.max(1, Math.round(o.planSide)));
}

/**
 * The band on the plan map p (pw×ph): a disc of the local radius around every boundary pixel,
 * the radius between thin and wide by how hard the boundary is there, plus the soft fringe.
 */
function planBand(p: Float32Array, pw: number, ph: number, image: RgbImage, o: ResolvedBand): { unknown: Uint8Array; plan: SmartBand['plan'] } {
  const long = Math.max(pw, ph);
  // At least 1.5 plan pixels: the full-size boundary lies within a plan pixel of the planned one.
  const thin = Math.max(1.5, o.thin * long * o.scale);
  const wide = Math.max(thin, o.wide * long * o.scale);
  // The photo itself is read only for its edges (the segmenter's views made it at this size already).
  const small = o.edgeWeight > 0 ? cachedWorkingImage(image, Math.max(1, Math.round(o.planSide))) : { width: pw, height: ph, data: new Uint8Array(0) };
  const complexity = boundaryComplexity(p, small, Math.max(2, Math.round(o.wide * long)), Math.max(1e-6, o.uncertainSaturation), o.edgeWeight);
  const radius = new Float32Array(pw * ph);
  for (let i = 0; i < radius.length; i++) radius[i] = thin + (wide - thin) * complexity[i];
  const unknown = stampBand(p, pw, ph, o.threshold, radius);
  const [low, high] = o.uncertain;
  if (high > low) addSoftFringe(p, pw, ph, unknown, low, high, wide - thin);
  return { unknown, plan: { width: pw, height: ph, radius, complexity } };
}

/**
 * Adds to the band the pixels whose probability lies strictly inside (low, high) within `reach`
 * of it. The distance is measured over the box of those pixels outside the band, grown by the
 * reach, alone: a band pixel past that box is farther than the reach from all of them (the box
 * was a quarter of the frame on one dev portrait).
 */
function addSoftFringe(p: Float32Array, w: number, h: number, band: Uint8Array, low: number, high: number, reach: number): void {
  const candidates = new Uint8Array(w * h);
  for (let i = 0; i < candidates.length; i++) if (!band[i] && p[i] > low && p[i] < high) candidates[i] = 1;
  const box = maskBox(candidates, w, h, reach);
  if (!box) return;
  const d2 = squaredDistanceInBox(band, w, box);
  const bw = box.x1 - box.x0 + 1;
  const reach2 = reach * reach;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const i = y * w + x;
      if (candidates[i] && d2[(y - box.y0) * bw + x - box.x0] <= reach2) band[i] = 1;
    }
  }
}

/**
 * Trimap whose unknown band is wide where the boundary is hard (uncertain probability, hair, fur,
 * motion blur) and thin where it is crisp. The band is planned at a bounded resolution (a disc of
 * the local radius around every boundary pixel) and laid over the full-size map, whose own
 * threshold decides foreground and background outside it. Frame edges get no band.
 */
export function smartTrimap(prob: Float32Array, image: RgbImage, options: SmartBandOptions = {}): SmartBand {
  assertImage(image);
  const { width, height } = image;
  assertPlane(prob, width, height, 'Probability map');
  const o = resolveOptions(options);
  const { width: pw, height: ph } = planSize(width, height, o);
  const p = pw === width && ph === height ? prob : resizeBilinear(prob, width, height, 1, pw, ph);
  const { unknown, plan } = planBand(p, pw, ph, image, o);
  const trimap = new Uint8Array(width * height);
  const { cols, rows } = nearestLookup(width, height, pw, ph);
  for (let y = 0; y < height; y++) {
    const planRow = rows[y];
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      trimap[i] = unknown[planRow + cols[x]] ? 128 : prob[i] >= o.threshold ? 255 : 0; // NaN: background
    }
  }
  return { trimap, plan };
}

/**
 * The smart band of the semantic stage, from its working-resolution probability (work, of the
 * image's frame): planned on that map itself when the plan size is the working size (the
 * default), so no full-size probability is made to be shrunk again; then the full-size trimap
 * and probability in one pass (paintFullSize: the probability is bilinear inside the band).
 */
export function smartTrimapFromWorking(work: { width: number; height: number; prob: Float32Array }, image: RgbImage, options: SmartBandOptions = {}): SmartBand & { prob: Float32Array } {
  assertImage(image);
  assertPlane(work.prob, work.width, work.height, 'Probability map');
  const o = resolveOptions(options);
  const { width: pw, height: ph } = planSize(image.width, image.height, o);
  const p = pw === work.width && ph === work.height ? work.prob : resizeBilinear(work.prob, work.width, work.height, 1, pw, ph);
  const { unknown, plan } = planBand(p, pw, ph, image, o);
  const { trimap, prob } = paintFullSize({ width: pw, height: ph, prob: p, unknown }, o.threshold, image.width, image.height);
  return { trimap, plan, prob };
}

/** 1 within radius[b] of every boundary pixel b (a pixel with a 4-neighbour of the other class). */
function stampBand(p: Float32Array, w: number, h: number, threshold: number, radius: Float32Array): Uint8Array {
  const fg = new Uint8Array(w * h);
  for (let i = 0; i < fg.length; i++) fg[i] = p[i] >= threshold ? 1 : 0;
  const band = new Uint8Array(w * h);
  const halfWidths = new Map<number, Int32Array>();
  const discRows = (r: number): Int32Array => {
    let rows = halfWidths.get(r);
    if (!rows) {
      rows = new Int32Array(r + 1);
      for (let dy = 0; dy <= r; dy++) rows[dy] = Math.floor(Math.sqrt(r * r - dy * dy));
      halfWidths.set(r, rows);
    }
    return rows;
  };
  for (let y = 0; y < h; y++) {
    // Outside the frame counts as the pixel's own class: no band along the frame edge.
    const up = y > 0 ? -w : 0;
    const down = y < h - 1 ? w : 0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const c = fg[i];
      const left = x > 0 ? fg[i - 1] : c;
      const right = x < w - 1 ? fg[i + 1] : c;
      if (((left ^ c) | (right ^ c) | (fg[i + up] ^ c) | (fg[i + down] ^ c)) === 0) continue;
      const r = Math.round(radius[i]);
      const rows = discRows(r);
      for (let dy = -r; dy <= r; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        const hw = rows[Math.abs(dy)];
        band.fill(1, yy * w + Math.max(0, x - hw), yy * w + Math.min(w, x + hw + 1));
      }
    }
  }
  return band;
}
