/**
 * Trimap brush strokes and their rasterisation. Pure (no Node or DOM imports): the engine applies
 * strokes at full resolution and the renderer draws the same strokes at display resolution.
 *
 * Trimap values: 0 background, 255 foreground, 128 unknown (files: anything not 0 or 255 is unknown).
 */
export const TRIMAP_BG = 0;
export const TRIMAP_UNKNOWN = 128;
export const TRIMAP_FG = 255;

export const BRUSH_TOOLS = ['fg', 'bg', 'unknown', 'erase'] as const;
export type BrushTool = (typeof BRUSH_TOOLS)[number];

export interface BrushStroke {
  tool: BrushTool;
  /** Brush radius in full-resolution image pixels. */
  radius: number;
  /** 0 (soft) to 1 (hard). A trimap has discrete labels, so a soft brush paints where its falloff is at least one half. */
  hardness: number;
  /** Centre line in full-resolution image pixels; pixel (i, j) covers [i, i+1) × [j, j+1). */
  points: [number, number][];
}

export interface PaintOptions {
  /** The automatic trimap, same size as the target: 'erase' paints its values back. */
  auto?: Uint8Array;
  /** Target pixels per image pixel (display resolution / full resolution); default 1. */
  scale?: number;
}

export const MAX_STROKE_POINTS = 100_000;

/** A reason the stroke cannot be painted, or undefined when it is valid. */
export function strokeProblem(stroke: BrushStroke): string | undefined {
  if (!(BRUSH_TOOLS as readonly string[]).includes(stroke.tool)) return `unknown tool ${String(stroke.tool)}`;
  if (!Number.isFinite(stroke.radius) || stroke.radius <= 0) return 'radius must be a positive number';
  if (!Number.isFinite(stroke.hardness) || stroke.hardness < 0 || stroke.hardness > 1) return 'hardness must be in [0, 1]';
  if (!Array.isArray(stroke.points) || stroke.points.length === 0) return 'a stroke needs at least one point';
  if (stroke.points.length > MAX_STROKE_POINTS) return `a stroke has at most ${MAX_STROKE_POINTS} points`;
  for (const p of stroke.points) {
    if (!Array.isArray(p) || p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return 'points must be finite [x, y] pairs';
  }
  return undefined;
}

/** Radius at which a brush of this hardness crosses one half: a linear falloff from hardness·r to r. */
export function effectiveRadius(radius: number, hardness: number): number {
  return (radius * (1 + hardness)) / 2;
}

export function toolValue(tool: Exclude<BrushTool, 'erase'>): number {
  return tool === 'fg' ? TRIMAP_FG : tool === 'bg' ? TRIMAP_BG : TRIMAP_UNKNOWN;
}

/** Paints the stroke in place onto a width × height trimap. Returns the number of pixel writes (overlaps between segments count again). */
export function paintStroke(target: Uint8Array, width: number, height: number, stroke: BrushStroke, options: PaintOptions = {}): number {
  const problem = strokeProblem(stroke);
  if (problem) throw new RangeError(`paintStroke: ${problem}`);
  if (target.length !== width * height) throw new RangeError('paintStroke: target size does not match width × height');
  const auto = options.auto;
  if (stroke.tool === 'erase') {
    if (!auto) throw new RangeError('paintStroke: erase needs the automatic trimap');
    if (auto.length !== target.length) throw new RangeError('paintStroke: automatic trimap size does not match');
  }
  const scale = options.scale ?? 1;
  const r = effectiveRadius(stroke.radius, stroke.hardness) * scale;
  const r2 = r * r;
  const value = stroke.tool === 'erase' ? -1 : toolValue(stroke.tool);
  const pts = stroke.points;
  let touched = 0;
  const paint = (i: number) => {
    target[i] = value < 0 ? (auto as Uint8Array)[i] : value;
    touched++;
  };
  for (let s = 0; s < Math.max(1, pts.length - 1); s++) {
    const ax = pts[s][0] * scale;
    const ay = pts[s][1] * scale;
    const b = pts[Math.min(s + 1, pts.length - 1)];
    const bx = b[0] * scale;
    const by = b[1] * scale;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + r));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + r));
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        // Distance from the pixel centre to the segment (a capsule brush).
        let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = px - (ax + t * dx);
        const ey = py - (ay + t * dy);
        if (ex * ex + ey * ey <= r2) paint(y * width + x);
      }
    }
  }
  return touched;
}

/** Maps any 8-bit trimap (e.g. read from a file) to the three canonical values. */
export function normaliseTrimap(values: Uint8Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === 0 ? TRIMAP_BG : v === 255 ? TRIMAP_FG : TRIMAP_UNKNOWN;
  }
  return out;
}
