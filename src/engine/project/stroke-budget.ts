import { effectiveRadius, type BrushStroke } from '../../shared/strokes';

/** Points in one saved stroke: a long drag at 120 events per second for almost three minutes. */
export const MAX_POINTS_PER_STROKE = 20_000;
/**
 * Pixel visits one stroke may cost, as a multiple of the image's pixels (plus a floor for small
 * images). Painting scans each segment's box, about 40-80 million visits per second here, and every
 * later render, refinement and export of the image replays the stroke: 8× keeps the worst stroke
 * near a second on a 12 MP photo, while ordinary strokes cost well under 1×.
 */
export const PAINT_BUDGET_PER_PIXEL = 8;
const PAINT_BUDGET_FLOOR = 1_000_000;

/** Pixel visits painting `stroke` takes on a width × height trimap: each segment's box, clipped to the image. */
export function paintCost(stroke: BrushStroke, width: number, height: number): number {
  const r = effectiveRadius(stroke.radius, stroke.hardness);
  const pts = stroke.points;
  let cost = 0;
  for (let s = 0; s < Math.max(1, pts.length - 1); s++) {
    const a = pts[s];
    const b = pts[Math.min(s + 1, pts.length - 1)];
    const w = Math.min(width, Math.max(a[0], b[0]) + r) - Math.max(0, Math.min(a[0], b[0]) - r);
    const h = Math.min(height, Math.max(a[1], b[1]) + r) - Math.max(0, Math.min(a[1], b[1]) - r);
    if (w > 0 && h > 0) cost += (w + 1) * (h + 1);
  }
  return cost;
}

/**
 * Why a (well-formed) stroke is too big for an image of this size, or undefined: too many
 * points, a brush larger than the image's diagonal, or more painting than the budget allows.
 */
export function strokeBudgetProblem(stroke: BrushStroke, width: number, height: number): string | undefined {
  if (stroke.points.length > MAX_POINTS_PER_STROKE) return `a stroke has at most ${MAX_POINTS_PER_STROKE} points (this one has ${stroke.points.length}); split it`;
  const diagonal = Math.ceil(Math.hypot(width, height));
  if (stroke.radius > diagonal) return `brush radius ${stroke.radius} is larger than the image's diagonal (${diagonal} px)`;
  const budget = PAINT_BUDGET_PER_PIXEL * width * height + PAINT_BUDGET_FLOOR;
  const cost = paintCost(stroke, width, height);
  if (cost > budget) return `the stroke is too large to paint: ${Math.round(cost / 1e6)} M pixel visits, over the budget of ${Math.round(budget / 1e6)} M for this image; split it or use a smaller brush`;
  return undefined;
}
