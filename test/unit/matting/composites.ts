import type { Alpha, RgbImage, Trimap } from '../../../src/engine/imaging/raster';
import { dilate, erode } from '../../../src/engine/matting/trimap/morphology';

/** A synthetic composite I = aF + (1-a)B with exactly known alpha, F and B (0..1 float RGB planes). */
export interface Composite {
  image: RgbImage;
  alpha: Alpha;
  trimap: Trimap;
  foreground: Float32Array;
  background: Float32Array;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Distance from point (px, py) to the segment (ax, ay)-(bx, by). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax;
  const vy = by - ay;
  const t = clamp01(((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy));
  return Math.hypot(px - ax - t * vx, py - ay - t * vy);
}

/**
 * A head-like disc with a soft edge, hair-like strands (about 1 px wide, partly opaque), and a
 * semi-transparent veil, over colourful textured foreground and background. `edge` is the disc
 * edge's ramp in pixels (default 3 % of the shorter side: a small photo scaled down; a large photo
 * straight from a camera keeps an edge of a few pixels).
 */
export function syntheticAlpha(width: number, height: number, veil = true, edge?: number): Alpha {
  const alpha = new Float32Array(width * height);
  const s = Math.min(width, height);
  const cx = width * 0.45;
  const cy = height * 0.5;
  const radius = 0.28 * s;
  const soft = edge ?? Math.max(1.5, 0.03 * s);
  const strands: [number, number, number, number][] = [];
  for (let k = 0; k < 7; k++) {
    const angle = -2.4 + k * 0.35;
    const ax = cx + Math.cos(angle) * radius * 0.9;
    const ay = cy + Math.sin(angle) * radius * 0.9;
    const len = radius * (0.45 + 0.08 * k);
    strands.push([ax, ay, ax + Math.cos(angle + 0.15) * len, ay + Math.sin(angle + 0.15) * len]);
  }
  const box = { x0: width * 0.72, x1: width * 0.92, y0: height * 0.3, y1: height * 0.7 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - cx, y - cy);
      let a = clamp01((radius - d) / soft + 0.5);
      for (const [ax, ay, bx, by] of strands) a = Math.max(a, 0.85 * clamp01(1.1 - segmentDistance(x, y, ax, ay, bx, by)));
      if (veil && x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1) a = Math.max(a, 0.45);
      alpha[y * width + x] = a;
    }
  }
  return alpha;
}

/** Deterministic value noise so textures are the same on every run. */
function hash(x: number, y: number, seed: number): number {
  let h = (x * 374761393 + y * 668265263 + seed * 1442695041) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** The texture's colour at (x, y) into out[i..i+2]. */
function texel(x: number, y: number, seed: number, out: Float32Array, i: number): void {
  const phase = seed * 1.7;
  const n = hash(x >> 2, y >> 2, seed) - 0.5;
  out[i] = clamp01(0.5 + 0.35 * Math.sin(0.11 * x + 0.05 * y + phase) + 0.1 * n);
  out[i + 1] = clamp01(0.5 + 0.35 * Math.sin(0.07 * y - 0.04 * x + 2 * phase) + 0.1 * n);
  out[i + 2] = clamp01(0.5 + 0.35 * Math.cos(0.09 * (x + y) + 3 * phase) - 0.1 * n);
}

export function texturedPlanes(width: number, height: number, seed: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) texel(x, y, seed, out, 3 * (y * width + x));
  return out;
}

/** The trimap the benchmarks use: unknown = dilate(alpha > 0) minus erode(alpha == 1). */
export function trimapFromAlpha(alpha: Alpha, width: number, height: number, radius: number): Trimap {
  const any = new Uint8Array(alpha.length);
  const full = new Uint8Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) {
    any[i] = alpha[i] > 0 ? 1 : 0;
    full[i] = alpha[i] >= 1 ? 1 : 0;
  }
  const outer = dilate(any, width, height, radius);
  const inner = erode(full, width, height, radius);
  const trimap = new Uint8Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) trimap[i] = inner[i] ? 255 : outer[i] ? 128 : 0;
  return trimap;
}

export function compose(alpha: Alpha, foreground: Float32Array, background: Float32Array, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const a = alpha[i];
    for (let c = 0; c < 3; c++) data[3 * i + c] = Math.round(255 * (a * foreground[3 * i + c] + (1 - a) * background[3 * i + c]));
  }
  return { width, height, data };
}

export interface CompositeOptions {
  /** false drops the semi-transparent box: a portrait-like scene whose band is only edges. */
  veil?: boolean;
  /** The disc edge's ramp in pixels (see syntheticAlpha). */
  edge?: number;
}

export function makeComposite(width: number, height: number, bandRadius = 3, options: CompositeOptions = {}): Composite {
  const alpha = syntheticAlpha(width, height, options.veil ?? true, options.edge);
  const foreground = texturedPlanes(width, height, 1);
  const background = texturedPlanes(width, height, 2);
  return {
    image: compose(alpha, foreground, background, width, height),
    alpha,
    trimap: trimapFromAlpha(alpha, width, height, bandRadius),
    foreground,
    background,
  };
}

/**
 * makeComposite without the F and B planes (24 bytes a pixel), computing the textures per pixel:
 * a 48 MP scene fits in memory.
 */
export function makeLargeComposite(width: number, height: number, bandRadius: number, options: CompositeOptions = {}): Omit<Composite, 'foreground' | 'background'> {
  const alpha = syntheticAlpha(width, height, options.veil ?? true, options.edge);
  const data = new Uint8Array(width * height * 3);
  const f = new Float32Array(3);
  const b = new Float32Array(3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = alpha[i];
      texel(x, y, 1, f, 0);
      texel(x, y, 2, b, 0);
      for (let c = 0; c < 3; c++) data[3 * i + c] = Math.round(255 * (a * f[c] + (1 - a) * b[c]));
    }
  }
  return { image: { width, height, data }, alpha, trimap: trimapFromAlpha(alpha, width, height, bandRadius) };
}
