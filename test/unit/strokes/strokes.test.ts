import { describe, expect, it } from 'vitest';
import { effectiveRadius, normaliseTrimap, paintStroke, strokeProblem, TRIMAP_BG, TRIMAP_FG, TRIMAP_UNKNOWN, type BrushStroke } from '../../../src/shared/strokes';

const W = 20;
const H = 10;
const count = (t: Uint8Array, v: number) => t.reduce((n, x) => n + (x === v ? 1 : 0), 0);

describe('paintStroke', () => {
  it('paints a hard disc of the tool value around a single point', () => {
    const t = new Uint8Array(W * H).fill(TRIMAP_UNKNOWN);
    paintStroke(t, W, H, { tool: 'fg', radius: 2, hardness: 1, points: [[10, 5]] });
    // Pixel centres within 2 px of (10, 5): the 12 centres at (±0.5, ±0.5), (±1.5, ±0.5), (±0.5, ±1.5).
    expect(count(t, TRIMAP_FG)).toBe(12);
    expect(t[5 * W + 10]).toBe(TRIMAP_FG);
    expect(t[5 * W + 13]).toBe(TRIMAP_UNKNOWN);
  });

  it('covers the segment between points (a capsule) and clips at the borders', () => {
    const t = new Uint8Array(W * H).fill(TRIMAP_UNKNOWN);
    paintStroke(t, W, H, { tool: 'bg', radius: 1, hardness: 1, points: [[-5, 5], [25, 5]] });
    for (let x = 0; x < W; x++) {
      expect(t[4 * W + x]).toBe(TRIMAP_BG);
      expect(t[5 * W + x]).toBe(TRIMAP_BG);
      expect(t[3 * W + x]).toBe(TRIMAP_UNKNOWN);
    }
    expect(count(t, TRIMAP_BG)).toBe(2 * W);
  });

  it('a soft brush paints where its falloff is at least one half', () => {
    expect(effectiveRadius(4, 0)).toBe(2);
    expect(effectiveRadius(4, 1)).toBe(4);
    const soft = new Uint8Array(W * H);
    const hard = new Uint8Array(W * H);
    paintStroke(soft, W, H, { tool: 'fg', radius: 4, hardness: 0, points: [[10, 5]] });
    paintStroke(hard, W, H, { tool: 'fg', radius: 2, hardness: 1, points: [[10, 5]] });
    expect(soft).toEqual(hard);
  });

  it('erase paints the automatic trimap back', () => {
    const auto = new Uint8Array(W * H);
    for (let i = 0; i < auto.length; i++) auto[i] = i % W < 10 ? TRIMAP_FG : TRIMAP_BG;
    const t = new Uint8Array(W * H).fill(TRIMAP_UNKNOWN);
    paintStroke(t, W, H, { tool: 'erase', radius: 100, hardness: 1, points: [[10, 5]] }, { auto });
    expect(t).toEqual(auto);
    expect(() => paintStroke(t, W, H, { tool: 'erase', radius: 1, hardness: 1, points: [[1, 1]] })).toThrow(/automatic trimap/);
  });

  it('draws at display resolution with a scale', () => {
    const full = new Uint8Array(W * H);
    paintStroke(full, W, H, { tool: 'fg', radius: 4, hardness: 1, points: [[10, 5]] });
    const half = new Uint8Array((W / 2) * (H / 2));
    paintStroke(half, W / 2, H / 2, { tool: 'fg', radius: 4, hardness: 1, points: [[10, 5]] }, { scale: 0.5 });
    expect(count(half, TRIMAP_FG)).toBe(12);
    expect(count(full, TRIMAP_FG)).toBeGreaterThan(4 * 12 - 8);
  });

  it('rejects invalid strokes', () => {
    const bad: [Partial<BrushStroke>, RegExp][] = [
      [{ tool: 'fg', radius: 0, hardness: 1, points: [[1, 1]] }, /radius/],
      [{ tool: 'fg', radius: 1, hardness: 2, points: [[1, 1]] }, /hardness/],
      [{ tool: 'fg', radius: 1, hardness: 1, points: [] }, /at least one point/],
      [{ tool: 'fg', radius: 1, hardness: 1, points: [[1, Number.NaN]] }, /finite/],
      [{ tool: 'paint' as 'fg', radius: 1, hardness: 1, points: [[1, 1]] }, /unknown tool/],
    ];
    for (const [stroke, re] of bad) expect(strokeProblem(stroke as BrushStroke)).toMatch(re);
    expect(() => paintStroke(new Uint8Array(4), 2, 2, bad[0][0] as BrushStroke)).toThrow(RangeError);
  });

  it('normalises file trimaps to 0/128/255', () => {
    expect([...normaliseTrimap(Uint8Array.from([0, 1, 127, 128, 254, 255]))]).toEqual([0, 128, 128, 128, 128, 255]);
  });
});
