import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { MattingPool, type RefinementMethodId, estimateForeground, mse, sad, unknownMask } from '../../../src/engine/matting';
import { compose, syntheticAlpha, trimapFromAlpha } from '../../unit/matting/composites';

// A real photograph (NASA's astronaut, public domain) as foreground and the same photo turned
// half around with its channels rotated as background, joined by an exactly known synthetic alpha
// (soft edge, hair-like strands, a semi-transparent veil). Refinement runs in the worker pool.
const PHOTO = fileURLToPath(new URL('../../fixtures/astronaut-256.png', import.meta.url));
const SIZE = 256;
// Measured 0.097 -> 0.082 (0.84): real detail in both F and B under the 45 % veil is ill-posed for any F estimate.
const FRINGE_RATIO_BOUND = 0.9;

async function photoPlanes(): Promise<{ fg: Float32Array; bg: Float32Array }> {
  const { data, info } = await sharp(PHOTO).resize(SIZE, SIZE).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  const n = SIZE * SIZE;
  const fg = new Float32Array(n * 3);
  const bg = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const j = n - 1 - i;
    for (let c = 0; c < 3; c++) {
      fg[3 * i + c] = data[3 * i + c] / 255;
      bg[3 * i + c] = data[3 * j + ((c + 1) % 3)] / 255;
    }
  }
  return { fg, bg };
}

// MSE over the unknown band, measured (closed-form 0.0547, KNN 0.0448, guided 0.0657; the constant
// 0.5 band 0.117; the all-unknown veil over real texture dominates) with ~25 % headroom.
const MSE_BOUND: Record<Exclude<RefinementMethodId, 'none'>, number> = { 'closed-form': 0.068, knn: 0.056, guided: 0.082 };

describe('matting a real photo composite through the worker pool', () => {
  const pool = new MattingPool({ size: 2 });
  afterAll(() => pool.close());

  it('each method clearly beats the constant band and meets its bound; decontamination removes the old background', async () => {
    const { fg, bg } = await photoPlanes();
    const alpha = syntheticAlpha(SIZE, SIZE);
    const image = compose(alpha, fg, bg, SIZE, SIZE);
    const trimap = trimapFromAlpha(alpha, SIZE, SIZE, 4);
    const mask = unknownMask(trimap);
    const floor = await pool.refine(image, trimap, { method: 'none' });
    const floorMse = mse(floor, alpha, SIZE, SIZE, mask);
    const results = await Promise.all(
      (Object.keys(MSE_BOUND) as (keyof typeof MSE_BOUND)[]).map(async (id) => {
        const a = await pool.refine(image, trimap, { method: id });
        return { id, a, mse: mse(a, alpha, SIZE, SIZE, mask), sad: sad(a, alpha, SIZE, SIZE, mask) };
      }),
    );
    for (const r of results) console.log(`${r.id}: MSE ${r.mse.toFixed(4)}, SAD ${r.sad.toFixed(3)} (constant band: MSE ${floorMse.toFixed(4)})`);
    for (const r of results) {
      expect(r.mse).toBeLessThan(MSE_BOUND[r.id]);
      expect(r.mse).toBeLessThan(floorMse * 0.65);
    }

    // Fringe over a new background: estimated F vs the raw image as F, composited with the true
    // alpha (isolates the colour estimate) and with the closed-form alpha (the real pipeline,
    // where alpha errors dominate, so only "not worse" is asserted there).
    const cf = results.find((r) => r.id === 'closed-form')?.a as Float32Array;
    const fringe = (a: Float32Array, colour: (i: number, c: number) => number): number => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < SIZE * SIZE; i++) {
        if (alpha[i] <= 0 || alpha[i] >= 1) continue;
        n++;
        for (let c = 0; c < 3; c++) {
          const green = c === 1 ? 1 : 0;
          s += (a[i] * colour(i, c) + (1 - a[i]) * green - (alpha[i] * fg[3 * i + c] + (1 - alpha[i]) * green)) ** 2;
        }
      }
      return Math.sqrt(s / (3 * n));
    };
    const rawColour = (i: number, c: number): number => image.data[3 * i + c] / 255;
    const fTrue = estimateForeground(image, alpha);
    const fCf = estimateForeground(image, cf);
    const withTrue = { raw: fringe(alpha, rawColour), clean: fringe(alpha, (i, c) => fTrue[3 * i + c] / 255) };
    const withCf = { raw: fringe(cf, rawColour), clean: fringe(cf, (i, c) => fCf[3 * i + c] / 255) };
    console.log(`fringe RMS over green, true alpha: raw ${withTrue.raw.toFixed(4)} -> ${withTrue.clean.toFixed(4)}; closed-form alpha: ${withCf.raw.toFixed(4)} -> ${withCf.clean.toFixed(4)}`);
    expect(withTrue.clean).toBeLessThan(withTrue.raw * FRINGE_RATIO_BOUND);
    expect(withCf.clean).toBeLessThan(withCf.raw);
  });
});
