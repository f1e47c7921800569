import { describe, expect, it } from 'vitest';
import { type Alpha, estimateForeground, refineAlpha } from '../../../src/engine/matting';
import { makeComposite } from './composites';

const W = 64;
const c = makeComposite(W, W);

/**
 * RMS error, over pixels where the true alpha is strictly between 0 and 1, of `fg` composited with
 * `alpha` over a new pure green background, against the true F composited with the true alpha.
 * The raw image as "foreground" carries the old background into that fringe.
 */
function fringeError(alpha: Alpha, fg: (i: number, ch: number) => number): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < W * W; i++) {
    const a = c.alpha[i];
    if (a <= 0 || a >= 1) continue;
    n++;
    for (let ch = 0; ch < 3; ch++) {
      const green = ch === 1 ? 1 : 0;
      const truth = a * c.foreground[3 * i + ch] + (1 - a) * green;
      const got = alpha[i] * fg(i, ch) + (1 - alpha[i]) * green;
      s += (got - truth) ** 2;
    }
  }
  return Math.sqrt(s / (3 * n));
}

const raw = (i: number, ch: number): number => c.image.data[3 * i + ch] / 255;

describe('foreground estimation (Germer et al. multilevel)', () => {
  it('with the true alpha, cuts the fringe error of the raw image by more than 3x (measured 0.079 -> 0.0175)', () => {
    const f = estimateForeground(c.image, c.alpha);
    const before = fringeError(c.alpha, raw);
    const after = fringeError(c.alpha, (i, ch) => f[3 * i + ch] / 255);
    expect(before).toBeGreaterThan(0.07);
    expect(after).toBeLessThan(0.022);
    expect(after * 3).toBeLessThan(before);
  });

  it('with a closed-form alpha, still reduces the fringe error (measured 0.162 -> 0.131)', async () => {
    const alpha = await refineAlpha(c.image, c.trimap, { method: 'closed-form' });
    const f = estimateForeground(c.image, alpha);
    const before = fringeError(alpha, raw);
    const after = fringeError(alpha, (i, ch) => f[3 * i + ch] / 255);
    expect(after).toBeLessThan(before * 0.88);
  });

  it('keeps opaque pixels away from the edge at the image colour', () => {
    const f = estimateForeground(c.image, c.alpha);
    let maxDiff = 0;
    const interior = (i: number): boolean => [i, i - 1, i + 1, i - W, i + W].every((j) => c.alpha[j] === 1);
    for (let i = W; i < W * W - W; i++) if (interior(i)) for (let ch = 0; ch < 3; ch++) maxDiff = Math.max(maxDiff, Math.abs(f[3 * i + ch] - c.image.data[3 * i + ch]));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });
});
