import { describe, expect, it } from 'vitest';
import { resizeBilinear } from '../../../src/engine/inference/resize.js';

/** The textbook per-pixel form: taps computed for every output pixel, rows clamped inside the region. */
function referenceBilinear(src: ArrayLike<number>, srcW: number, channels: number, dstW: number, dstH: number, region: { x: number; y: number; w: number; h: number }): Float32Array {
  const out = new Float32Array(dstW * dstH * channels);
  const lastX = region.x + region.w - 1;
  const lastY = region.y + region.h - 1;
  for (let y = 0; y < dstH; y++) {
    const sy = Math.min(Math.max(region.y + (y + 0.5) * (region.h / dstH) - 0.5, region.y), lastY);
    const y0 = Math.floor(sy);
    const y1 = Math.floor(Math.min(y0 + 1, lastY));
    for (let x = 0; x < dstW; x++) {
      const sx = Math.min(Math.max(region.x + (x + 0.5) * (region.w / dstW) - 0.5, region.x), lastX);
      const x0 = Math.floor(sx);
      const x1 = Math.floor(Math.min(x0 + 1, lastX));
      for (let k = 0; k < channels; k++) {
        const at = (yy: number, xx: number) => src[(yy * srcW + xx) * channels + k];
        const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * (sx - x0);
        const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * (sx - x0);
        out[(y * dstW + x) * channels + k] = top + (bottom - top) * (sy - y0);
      }
    }
  }
  return out;
}

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('resizeBilinear (separable, cached rows)', () => {
  const cases = [
    { name: 'one channel up 4x (a model map to the photo)', w: 64, h: 48, c: 1, dw: 256, dh: 192 },
    { name: 'three channels down (a photo to the model input)', w: 301, h: 207, c: 3, dw: 64, dh: 64 },
    { name: 'odd factors, two channels', w: 7, h: 5, c: 2, dw: 17, dh: 4 },
    { name: 'a single row and column', w: 1, h: 1, c: 3, dw: 5, dh: 3 },
    { name: 'fractional region (letterbox content on a coarser output)', w: 64, h: 64, c: 3, dw: 90, dh: 160, region: { x: 0, y: 9.5, w: 64, h: 45 } },
  ];
  for (const t of cases) {
    it(`equals the per-pixel form exactly: ${t.name}`, () => {
      const region = t.region ?? { x: 0, y: 0, w: t.w, h: t.h };
      const f = random(t.w * t.h * t.c, t.w * 31 + t.h);
      expect(resizeBilinear(f, t.w, t.h, t.c, t.dw, t.dh, region)).toEqual(referenceBilinear(f, t.w, t.c, t.dw, t.dh, region));
      const bytes = Uint8Array.from(f, (v) => Math.floor(v * 256));
      expect(resizeBilinear(bytes, t.w, t.h, t.c, t.dw, t.dh, region)).toEqual(referenceBilinear(bytes, t.w, t.c, t.dw, t.dh, region));
    });
  }

  it('never leaves the range of its inputs (so a map clamped to 0..1 before resizing stays in 0..1)', () => {
    const src = random(33 * 17, 5).map((v) => (v < 0.3 ? 0 : v > 0.7 ? 1 : v));
    const out = resizeBilinear(src, 33, 17, 1, 301, 97);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
  });

  it('reads only rows inside a fractional region, so no value comes from the next row over', () => {
    // Rows 0..3 hold 0, row 4 holds 1000: a region ending at y 3.5 must never see 1000.
    const src = new Float32Array(4 * 5);
    src.fill(1000, 16);
    const out = resizeBilinear(src, 4, 5, 1, 4, 8, { x: 0, y: 0.5, w: 4, h: 3 });
    expect(Math.max(...out)).toBe(0);
  });
});
