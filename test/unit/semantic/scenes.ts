import type { Alpha, RgbImage } from '../../../src/engine/imaging/raster';
import { makeBoxFilter } from '../../../src/engine/matting/filters/box-filter';
import { compose } from '../matting/composites';
import { mulberry32 } from '../../helpers/random';

/** Synthetic scenes for the semantic stage: exact alphas plus the probability a segmenter might give. */

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax;
  const vy = by - ay;
  const t = clamp01(((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy));
  return Math.hypot(px - ax - t * vx, py - ay - t * vy);
}

/** A person-like mask: a head disc over a torso that runs out of the frame's bottom edge. */
export function personMask(width: number, height: number, cx = width * 0.5, scale = 1): Float32Array {
  const s = Math.min(width, height) * scale;
  const out = new Float32Array(width * height);
  const headY = height - 0.62 * s;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const head = Math.hypot(x - cx, y - headY) <= 0.18 * s;
      const torso = Math.abs(x - cx) <= 0.27 * s && y >= height - 0.5 * s;
      out[y * width + x] = head || torso ? 1 : 0;
    }
  }
  return out;
}

export function disc(plane: Float32Array, width: number, cx: number, cy: number, r: number, value = 1): Float32Array {
  const height = plane.length / width;
  for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, Math.ceil(cy + r)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(width - 1, Math.ceil(cx + r)); x++) {
      if (Math.hypot(x - cx, y - cy) <= r) plane[y * width + x] = value;
    }
  }
  return plane;
}

export interface HairScene {
  image: RgbImage;
  alpha: Alpha;
  /** What a segmenter might answer: sure of the straight edges, unsure in the hair. */
  prob: Float32Array;
  width: number;
  height: number;
  /** Centre and radius of the head, whose upper half carries the hair. */
  head: { cx: number; cy: number; r: number };
  /** Left edge of the straight-sided torso. */
  torsoLeft: number;
}

/**
 * A portrait-like composite: head and torso with straight, crisp sides; hair strands (1 px wide,
 * partly opaque, 3-8 % of the frame long) around the top of the head; smooth colours on both sides.
 */
export function hairScene(size = 320): HairScene {
  const width = size;
  const height = size;
  const rand = mulberry32(7);
  const core = new Float32Array(width * height);
  const cx = width / 2;
  const cy = height * 0.38;
  const r = size * 0.17;
  const torsoLeft = Math.round(width * 0.24);
  const torsoRight = width - torsoLeft;
  const torsoTop = Math.round(height * 0.55);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const head = clamp01(r - Math.hypot(x - cx, y - cy) + 0.5);
      const torso = y >= torsoTop && x >= torsoLeft && x < torsoRight ? 1 : 0;
      core[y * width + x] = Math.max(head, torso);
    }
  }
  const strands: [number, number, number, number][] = [];
  for (let k = 0; k < 70; k++) {
    const angle = Math.PI + (k / 69) * Math.PI + (rand() - 0.5) * 0.05; // the upper half
    const len = size * (0.03 + 0.05 * rand());
    const ax = cx + Math.cos(angle) * r * 0.95;
    const ay = cy + Math.sin(angle) * r * 0.95;
    const bend = (rand() - 0.5) * 0.6;
    strands.push([ax, ay, ax + Math.cos(angle + bend) * len, ay + Math.sin(angle + bend) * len]);
  }
  const hair = new Float32Array(width * height);
  const reach = r + size * 0.09;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (Math.hypot(x - cx, y - cy) > reach) continue;
      let a = 0;
      for (const [ax, ay, bx, by] of strands) a = Math.max(a, 0.85 * clamp01(1.1 - segmentDistance(x, y, ax, ay, bx, by)));
      hair[y * width + x] = a;
    }
  }
  const alpha = Float32Array.from(core, (v, i) => Math.max(v, hair[i]));
  const fg = new Float32Array(width * height * 3);
  const bg = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 3 * (y * width + x);
      // Hair colour on the strands and over the top of the head, as on a real head of hair.
      const inHair = hair[y * width + x] > 0 || y < cy;
      fg[i] = inHair ? 0.3 : 0.75;
      fg[i + 1] = inHair ? 0.18 : 0.55;
      fg[i + 2] = inHair ? 0.1 : 0.45;
      bg[i] = 0.55 + 0.3 * (x / width);
      bg[i + 1] = 0.7 + 0.2 * (y / height);
      bg[i + 2] = 0.85;
    }
  }
  // The segmenter: the body nearly crisp, the hair a soft cloud of its mean coverage.
  const box = makeBoxFilter(width, height);
  const prob = box(core, 1);
  const cloud = box(hair, Math.round(size * 0.03));
  for (let i = 0; i < prob.length; i++) prob[i] = clamp01(Math.max(prob[i], 1.6 * cloud[i]));
  return { image: compose(alpha, fg, bg, width, height), alpha, prob, width, height, head: { cx, cy, r }, torsoLeft };
}
