import { describe, expect, it } from 'vitest';
import { buildCfLaplacian } from '../../../src/engine/matting';
import { alphaFromTrimap } from '../../../src/engine/matting/validate';
import { restrictToUnknown } from '../../../src/engine/matting/laplacian/stencil-system';
import { boxMean } from '../../../src/engine/matting/filters/box-filter';
import { guidedCoefficientsForBand } from '../../../src/engine/matting/filters/guided-band';
import { downscaleRgb, downscaleTrimap, downscaleTrimapInto, rgbPlanes } from '../../../src/engine/matting/resample';
import * as reference from '../../../bench/reference/closed-form-parts';
import { makeComposite } from './composites';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function noise(length: number, seed: number): Uint8Array {
  const rand = random(seed);
  return Uint8Array.from({ length }, () => Math.floor(rand() * 256));
}

/** Blocks of 0, 128 and 255 of random sizes, and some other values (anything not 0/255 is unknown). */
function labels(length: number, seed: number): Uint8Array {
  const rand = random(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; ) {
    const run = 1 + Math.floor(rand() * 9);
    const v = [0, 0, 255, 255, 128, 77][Math.floor(rand() * 6)];
    out.fill(v, i, Math.min(length, i + run));
    i += run;
  }
  return out;
}

function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

// Source -> low sizes: blocks of 1-2 px (exact halving, odd halving with its last block of 3, the
// 1.7 -> 1 MP ratio, one axis kept), blocks up to 3-4 px (the general path) on one axis or both,
// and degenerate 1-px axes.
const SIZES: [number, number, number, number][] = [
  [96, 60, 48, 30],
  [97, 61, 48, 30],
  [131, 87, 100, 66],
  [97, 61, 97, 40],
  [97, 61, 30, 20],
  [97, 61, 60, 20],
  [61, 97, 20, 60],
  [50, 1, 20, 1],
  [1, 50, 1, 33],
  [7, 5, 1, 1],
];

describe('the closed-form helpers equal their pre-optimisation copies (bench/reference) bit for bit', () => {
  it.each(SIZES)('downscaleRgb %ix%i -> %ix%i', (w, h, lw, lh) => {
    const image = { width: w, height: h, data: noise(w * h * 3, w * 31 + lw) };
    expect(mismatches(downscaleRgb(image, lw, lh).data, reference.downscaleRgb(image, lw, lh).data)).toBe(0);
  });

  it.each(SIZES)('downscaleTrimap %ix%i -> %ix%i, whole and by region', (w, h, lw, lh) => {
    const trimap = labels(w * h, w * 17 + lh);
    expect(mismatches(downscaleTrimap(trimap, w, h, lw, lh), reference.downscaleTrimap(trimap, w, h, lw, lh))).toBe(0);
    const region = { left: Math.floor(lw / 4), top: Math.floor(lh / 3), right: Math.ceil((3 * lw) / 4), bottom: lh };
    const got = downscaleTrimapInto(new Uint8Array(lw * lh).fill(9), trimap, w, h, lw, lh, region);
    const want = reference.downscaleTrimapInto(new Uint8Array(lw * lh).fill(9), trimap, w, h, lw, lh, region);
    expect(mismatches(got, want)).toBe(0);
  });

  it('buildCfLaplacian on a composite band: every window inside the band, on its edges and on the image border', () => {
    const { image, trimap } = makeComposite(120, 90, 4);
    // The band touches the image border too: unknown columns at both edges.
    const rows = Uint8Array.from(trimap, (t, i) => (t !== 0 && t !== 255) || i % 120 < 2 || i % 120 > 117 ? 1 : 0);
    const got = buildCfLaplacian(image, rows);
    const want = reference.buildCfLaplacian(image, rows);
    expect(Array.from(got.pixels)).toEqual(Array.from(want.pixels));
    expect(mismatches(got.values, want.values)).toBe(0);
  });

  it('buildCfLaplacian with scattered rows (most windows reach a pixel without a row) and with every pixel a row', () => {
    const { image } = makeComposite(41, 29, 3);
    for (const rows of [labels(41 * 29, 5).map((v) => (v === 128 ? 1 : 0)), new Uint8Array(41 * 29).fill(1)]) {
      const got = buildCfLaplacian(image, rows, { epsilon: 1e-5 });
      const want = reference.buildCfLaplacian(image, rows, { epsilon: 1e-5 });
      expect(mismatches(got.values, want.values)).toBe(0);
    }
  });

  it("restrictToUnknown, with the build's row index and without it", () => {
    const { image, trimap } = makeComposite(120, 90, 4);
    const unknown = Uint8Array.from(trimap, (t) => (t !== 0 && t !== 255 ? 1 : 0));
    const laplacian = buildCfLaplacian(image, unknown);
    const known = alphaFromTrimap(trimap, 0.5);
    const want = reference.restrictToUnknown(laplacian, known, 1e-9, 0.5);
    for (const given of [laplacian, { ...laplacian, rowOf: undefined }]) {
      const got = restrictToUnknown(given, known, 1e-9, 0.5);
      expect(mismatches(got.system.cols, want.system.cols)).toBe(0);
      expect(mismatches(got.system.values, want.system.values)).toBe(0);
      expect(mismatches(got.rhs, want.rhs)).toBe(0);
    }
  });

  it('boxMean at radii 0-9 on sizes down to one pixel', () => {
    const rand = random(11);
    for (const [w, h] of [[57, 23], [1, 9], [9, 1], [4, 4], [3, 17]]) {
      const src = Float32Array.from({ length: w * h }, () => rand() ** 3);
      for (let r = 0; r <= 9; r++) {
        const run = (f: typeof boxMean) => {
          const out = new Float32Array(w * h);
          f(src, w, h, r, out, new Float32Array(w * h), new Float64Array(w), new Float64Array(w));
          return out;
        };
        expect(mismatches(run(boxMean), run(reference.boxMean))).toBe(0);
      }
    }
  });

  it('boxMean of a product (times) equals the box mean of the stored float32 product plane', () => {
    const rand = random(12);
    for (const [w, h] of [[57, 23], [1, 9], [9, 1], [4, 4]]) {
      const a = Float32Array.from({ length: w * h }, () => rand());
      const b = Float32Array.from({ length: w * h }, () => rand() ** 2);
      const product = Float32Array.from(a, (v, i) => v * b[i]);
      for (let r = 0; r <= 5; r++) {
        const got = new Float32Array(w * h);
        const want = new Float32Array(w * h);
        boxMean(a, w, h, r, got, new Float32Array(w * h), new Float64Array(w), new Float64Array(w), b);
        reference.boxMean(product, w, h, r, want, new Float32Array(w * h), new Float64Array(w), new Float64Array(w));
        expect(mismatches(got, want)).toBe(0);
      }
    }
  });

  it('guidedCoefficientsForBand with the working image as its guide: its planes made only in the tiles', () => {
    const { image, trimap, alpha } = makeComposite(230, 170, 5);
    const [lw, lh] = [150, 111];
    const low = downscaleRgb(image, lw, lh);
    const p = new Float32Array(lw * lh);
    for (let y = 0; y < lh; y++) for (let x = 0; x < lw; x++) p[y * lw + x] = alpha[Math.floor((y * 170) / lh) * 230 + Math.floor((x * 230) / lw)];
    const want = reference.guidedCoefficientsForBand(rgbPlanes(low), p, lw, lh, 1, 1e-5, image, trimap);
    for (const guide of [low, rgbPlanes(low)]) {
      const got = guidedCoefficientsForBand(guide, p, lw, lh, 1, 1e-5, image, trimap);
      for (const k of ['ar', 'ag', 'ab', 'b'] as const) expect(mismatches(got[k], want[k])).toBe(0);
    }
  });
});
