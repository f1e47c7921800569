import { MattingError } from '../matting/errors';
import { maskBox, squaredDistanceInBox, type PixelBox } from './box-distance';
import { assertPlane } from '../matting/validate';
import { regionsUnderFaces, type Box } from './detector';

export interface SubjectOptions {
  /** Probability at or above which a pixel belongs to a region. Default 0.5. */
  threshold?: number;
  /**
   * Keep every region large enough to be a person (at least `personArea` of the main subject's
   * area), with the pieces joined to it, instead of the main subject only. Default false.
   */
  keepAll?: boolean;
  /** Area, as a fraction of the main subject's, from which keepAll counts a region as a person. Default 0.15. */
  personArea?: number;
  /**
   * Regions closer than this to the kept ones join them (a hand behind a thin gap), as a fraction
   * of the longer side. Default 0.02.
   */
  joinGap?: number;
  /**
   * Regions that touch the same side of the frame as a kept one, within this distance along that
   * side (fraction of the longer side), join it: a subject cut by the frame edge (an arm that
   * leaves and re-enters) stays whole. Default 0.08.
   */
  edgeGap?: number;
  /**
   * Faces found in the photo (detector.ts), as fractions of its width and height: the region
   * holding each is kept as well as the main subject, even when it is smaller (a person beside a
   * larger false region).
   */
  faces?: Box[];
}

export interface SubjectSelection {
  /** 1 where the kept regions are (at or above the threshold). */
  kept: Uint8Array;
  /** 1 where a dropped region is, with its soft fringe (what the selection cleared). */
  cleared: Uint8Array;
  /** Regions found and regions dropped. */
  regions: number;
  dropped: number;
}

interface Regions {
  labels: Int32Array;
  areas: number[];
  /** Per region and frame side (top, right, bottom, left): [min, max] of its contact, or null. */
  contacts: ([number, number] | null)[][];
}

/** 8-connected regions of `mask` (labels 1..n, 0 outside), their areas and frame contacts. */
export function labelRegions(mask: Uint8Array, w: number, h: number): Regions {
  const labels = new Int32Array(w * h);
  const areas: number[] = [0];
  const contacts: ([number, number] | null)[][] = [[]];
  const stack: number[] = [];
  let next = 0;
  const touch = (c: ([number, number] | null)[], side: number, at: number) => {
    const s = c[side];
    if (!s) c[side] = [at, at];
    else {
      if (at < s[0]) s[0] = at;
      if (at > s[1]) s[1] = at;
    }
  };
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || labels[start]) continue;
    const id = ++next;
    let area = 0;
    const c: ([number, number] | null)[] = [null, null, null, null];
    labels[start] = id;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop() as number;
      area++;
      const x = i % w;
      const y = (i - x) / w;
      if (y === 0) touch(c, 0, x);
      if (x === w - 1) touch(c, 1, y);
      if (y === h - 1) touch(c, 2, x);
      if (x === 0) touch(c, 3, y);
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (mask[j] && !labels[j]) {
            labels[j] = id;
            stack.push(j);
          }
        }
      }
    }
    areas.push(area);
    contacts.push(c);
  }
  return { labels, areas, contacts };
}

function defaults(o: SubjectOptions) {
  const threshold = o.threshold ?? 0.5;
  const personArea = o.personArea ?? 0.15;
  const joinGap = o.joinGap ?? 0.02;
  const edgeGap = o.edgeGap ?? 0.08;
  for (const [name, v] of [['threshold', threshold], ['personArea', personArea], ['joinGap', joinGap], ['edgeGap', edgeGap]] as const) {
    if (!Number.isFinite(v) || v < 0) throw new MattingError('INVALID_OPTIONS', `Subject option ${name} must be a number >= 0, got ${v}`);
  }
  return { threshold, personArea, joinGap, edgeGap, keepAll: o.keepAll ?? false };
}

/**
 * Grows the kept set from `seeds`: a region joins when it lies within `gap` px of a kept one, or
 * touches a frame side a kept one touches within `edgeGap` px along it; repeated until stable.
 */
function grow(r: Regions, w: number, h: number, seeds: Set<number>, gap: number, edgeGap: number): Set<number> {
  const kept = new Set(seeds);
  const n = r.areas.length - 1;
  for (;;) {
    // Everything kept (a lone region, often): no distance to measure.
    if (kept.size >= n) return kept;
    const before = kept.size;
    const keptMask = new Uint8Array(w * h);
    const others = new Uint8Array(w * h);
    for (let i = 0; i < keptMask.length; i++) {
      const id = r.labels[i];
      if (id) {
        if (kept.has(id)) keptMask[i] = 1;
        else others[i] = 1;
      }
    }
    // Distances to the kept regions, over the box of the others grown by the gap (all that can be near).
    const box = maskBox(others, w, h, gap) as PixelBox;
    const d2 = squaredDistanceInBox(keptMask, w, box);
    const bw = box.x1 - box.x0 + 1;
    const near = new Set<number>();
    const g2 = gap * gap;
    for (let y = box.y0; y <= box.y1; y++) {
      for (let x = box.x0; x <= box.x1; x++) {
        const i = y * w + x;
        if (others[i] && d2[(y - box.y0) * bw + x - box.x0] <= g2) near.add(r.labels[i]);
      }
    }
    for (let id = 1; id <= n; id++) {
      if (kept.has(id)) continue;
      if (near.has(id)) kept.add(id);
      else if (touchesNear(r.contacts[id], r, kept, edgeGap)) kept.add(id);
    }
    if (kept.size === before) return kept;
  }
}

function touchesNear(c: ([number, number] | null)[], r: Regions, kept: Set<number>, edgeGap: number): boolean {
  for (let side = 0; side < 4; side++) {
    const a = c[side];
    if (!a) continue;
    for (const k of kept) {
      const b = r.contacts[k][side];
      if (b && a[0] - b[1] <= edgeGap && b[0] - a[1] <= edgeGap) return true;
    }
  }
  return false;
}

/**
 * Keeps the subject: the regions of the probability map grown from `seeds` (see grow); every other
 * region is cleared with its soft fringe (the pixels nearer to it than to a kept region, within
 * the join gap), so no band is drawn around what was dropped.
 */
function select(prob: Float32Array, w: number, h: number, r: Regions, seeds: Set<number>, o: ReturnType<typeof defaults>): SubjectSelection {
  const long = Math.max(w, h);
  const kept = grow(r, w, h, seeds, o.joinGap * long, o.edgeGap * long);
  const keptMask = new Uint8Array(w * h);
  const droppedMask = new Uint8Array(w * h);
  let dropped = 0;
  for (let id = 1; id < r.areas.length; id++) if (!kept.has(id)) dropped++;
  for (let i = 0; i < keptMask.length; i++) {
    const id = r.labels[i];
    if (id) {
      if (kept.has(id)) keptMask[i] = 1;
      else droppedMask[i] = 1;
    }
  }
  const cleared = new Uint8Array(w * h);
  if (dropped > 0) {
    const radius = Math.max(2, o.joinGap * long);
    const fringe = radius * radius;
    // Only pixels within the fringe of a dropped region can be cleared (its box grown by the
    // fringe); a kept pixel nearer to one of them than the fringe lies within twice the fringe of
    // that box, so both distances are measured over that larger box only.
    const inner = maskBox(droppedMask, w, h, radius) as PixelBox;
    const outer = maskBox(droppedMask, w, h, 2 * radius) as PixelBox;
    const toDropped = squaredDistanceInBox(droppedMask, w, outer);
    const toKept = squaredDistanceInBox(keptMask, w, outer);
    const bw = outer.x1 - outer.x0 + 1;
    for (let y = inner.y0; y <= inner.y1; y++) {
      for (let x = inner.x0; x <= inner.x1; x++) {
        const i = y * w + x;
        const j = (y - outer.y0) * bw + x - outer.x0;
        if (droppedMask[i] || (toDropped[j] <= fringe && toDropped[j] < toKept[j] && prob[i] > 0)) cleared[i] = 1;
      }
    }
  }
  return { kept: keptMask, cleared, regions: r.areas.length - 1, dropped };
}

function regionsOf(prob: Float32Array, w: number, h: number, threshold: number): Regions {
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < mask.length; i++) mask[i] = prob[i] >= threshold ? 1 : 0;
  return labelRegions(mask, w, h);
}

/**
 * The main subject (the largest region) and what joins it; with keepAll, every person-sized region
 * too. A map with no region keeps nothing and clears nothing.
 */
export function selectSubject(prob: Float32Array, w: number, h: number, options: SubjectOptions = {}): SubjectSelection {
  assertPlane(prob, w, h, 'Probability map');
  const o = defaults(options);
  const r = regionsOf(prob, w, h, o.threshold);
  let main = 0;
  for (let id = 1; id < r.areas.length; id++) if (main === 0 || r.areas[id] > r.areas[main]) main = id;
  const seeds = new Set<number>(main ? [main] : []);
  if (o.keepAll && main) for (let id = 1; id < r.areas.length; id++) if (r.areas[id] >= o.personArea * r.areas[main]) seeds.add(id);
  // A region with a face is a person's, whatever its size.
  if (options.faces) for (const id of regionsUnderFaces(r.labels, w, h, options.faces)) seeds.add(id);
  return select(prob, w, h, r, seeds, o);
}

/**
 * Click-to-keep: the region at (x, y), or the nearest one when the point misses every region,
 * with what joins it; everything else is cleared. Throws MattingError for a point off the map.
 */
export function keepSubjectAt(prob: Float32Array, w: number, h: number, x: number, y: number, options: SubjectOptions = {}): SubjectSelection {
  assertPlane(prob, w, h, 'Probability map');
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= w || y >= h) {
    throw new MattingError('INVALID_OPTIONS', `Point (${x}, ${y}) lies outside the ${w}×${h} map`);
  }
  const o = defaults(options);
  const r = regionsOf(prob, w, h, o.threshold);
  let seed = r.labels[y * w + x];
  if (!seed) {
    let best = Infinity;
    for (let i = 0; i < r.labels.length; i++) {
      if (!r.labels[i]) continue;
      const px = i % w;
      const py = (i - px) / w;
      const d = (px - x) ** 2 + (py - y) ** 2;
      if (d < best) {
        best = d;
        seed = r.labels[i];
      }
    }
  }
  return select(prob, w, h, r, new Set(seed ? [seed] : []), o);
}

/** The probability with the selection's cleared pixels set to 0 (a new map). */
export function applySelection(prob: Float32Array, selection: SubjectSelection): Float32Array {
  const out = Float32Array.from(prob);
  for (let i = 0; i < out.length; i++) if (selection.cleared[i]) out[i] = 0;
  return out;
}

/**
 * Click-to-keep on a trimap (the editor's): the foreground-or-unknown region at (x, y), or the
 * nearest, with what joins it, is kept; every other region and its fringe becomes background.
 * Returns a new trimap and the selection.
 */
export function keepTrimapSubjectAt(trimap: Uint8Array, w: number, h: number, x: number, y: number, options: Omit<SubjectOptions, 'threshold' | 'keepAll'> = {}): { trimap: Uint8Array; selection: SubjectSelection } {
  assertPlane(trimap, w, h, 'Trimap');
  const prob = new Float32Array(trimap.length);
  for (let i = 0; i < prob.length; i++) prob[i] = trimap[i] / 255;
  // Unknown (128) counts as part of a region: its pixels may belong to the subject.
  const selection = keepSubjectAt(prob, w, h, x, y, { ...options, threshold: 0.5 });
  const out = Uint8Array.from(trimap);
  for (let i = 0; i < out.length; i++) if (selection.cleared[i]) out[i] = 0;
  return { trimap: out, selection };
}
