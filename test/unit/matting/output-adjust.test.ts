import { describe, expect, it } from 'vitest';
import { neutralAdjustments, type OutputAdjustments } from '../../../src/shared/adjustments';
import { adjustAlpha, blendForeground } from '../../../src/engine/matting/alpha/output-adjust';

const W = 64;
const H = 8;
/** A vertical edge at x = 32 with a 4-px soft band (x 30..33). */
const edge = Uint8Array.from({ length: W * H }, (_, i) => {
  const x = i % W;
  return x < 30 ? 0 : x > 33 ? 255 : Math.round(((x - 29) / 5) * 255);
});
const row = (a: Uint8Array) => Array.from(a.subarray(4 * W, 5 * W));
const soft = (a: Uint8Array) => row(a).filter((v) => v > 0 && v < 255).length;
/** First x where the alpha reaches one half. */
const half = (a: Uint8Array) => row(a).findIndex((v) => v >= 128);
const adj = (patch: Partial<OutputAdjustments>): OutputAdjustments => ({ ...neutralAdjustments, ...patch });

describe('output adjustments', () => {
  it('leave the alpha as it is when neutral', () => {
    expect(adjustAlpha(edge, W, H, neutralAdjustments)).toEqual(edge);
  });

  it('feather widens the soft band, more with a larger radius, and keeps the edge in place', () => {
    const f4 = adjustAlpha(edge, W, H, adj({ feather: 4 }));
    const f12 = adjustAlpha(edge, W, H, adj({ feather: 12 }));
    expect(soft(edge)).toBe(4);
    expect(soft(f4)).toBeGreaterThan(soft(edge) + 2);
    expect(soft(f12)).toBeGreaterThan(soft(f4) + 6);
    expect(Math.abs(half(f12) - half(edge))).toBeLessThanOrEqual(1);
    // A preview at half scale feathers half as many of its pixels.
    expect(soft(adjustAlpha(edge, W, H, adj({ feather: 12 }), 0.5))).toBeLessThan(soft(f12));
  });

  it('contrast hardens the band; at 100 % it is a cut', () => {
    expect(soft(adjustAlpha(edge, W, H, adj({ contrast: 50 })))).toBeLessThan(soft(edge));
    expect(soft(adjustAlpha(edge, W, H, adj({ contrast: 100 })))).toBe(0);
  });

  it('shift edge moves the edge out (+) and in (−)', () => {
    expect(half(adjustAlpha(edge, W, H, adj({ shiftEdge: 40 })))).toBeLessThan(half(edge));
    expect(half(adjustAlpha(edge, W, H, adj({ shiftEdge: -40 })))).toBeGreaterThan(half(edge));
  });

  it('smooth rounds a jagged edge off without softening it much', () => {
    // A staircase edge: odd rows one pixel further right.
    const jagged = Uint8Array.from({ length: W * H }, (_, i) => ((i % W) >= 32 + (Math.floor(i / W) % 2) ? 255 : 0));
    const smoothed = adjustAlpha(jagged, W, H, adj({ smooth: 30 }));
    const rowOf = (a: Uint8Array, y: number) => Array.from(a.subarray(y * W, (y + 1) * W));
    const step = (a: Uint8Array) => Math.max(...rowOf(a, 3).map((v, x) => Math.abs(v - rowOf(a, 4)[x])));
    // Neighbouring rows differed by a whole pixel step (255); smoothed, they nearly agree.
    expect(step(jagged)).toBe(255);
    expect(step(smoothed)).toBeLessThan(40);
    // Still an edge, not a blur: a few soft pixels per row.
    expect(rowOf(smoothed, 4).filter((v) => v > 0 && v < 255).length).toBeLessThanOrEqual(6);
  });

  it('decontamination amount 0 keeps the photo colours, 100 the foreground, 50 halfway', () => {
    const original = Uint8Array.from([100, 100, 100]);
    const foreground = Uint8Array.from([200, 0, 100]);
    expect(blendForeground(original, foreground, 0)).toEqual(original);
    expect(blendForeground(original, foreground, 100)).toEqual(foreground);
    expect(Array.from(blendForeground(original, foreground, 50))).toEqual([150, 50, 100]);
  });
});
