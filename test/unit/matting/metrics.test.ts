import { describe, expect, it } from 'vitest';
import { MattingError, connectivityError, gradientError, gradientMagnitude, mse, sad } from '../../../src/engine/matting';

const W = 20;
const H = 10;

function ramp(shift = 0): Float32Array {
  const a = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) a[y * W + x] = Math.min(1, Math.max(0, (x - 6 - shift) / 8));
  return a;
}

describe('matte metrics', () => {
  it('are zero for a perfect prediction', () => {
    const gt = ramp();
    for (const metric of [sad, mse, gradientError, connectivityError]) expect(metric(gt, gt, W, H)).toBe(0);
  });

  it('SAD is the sum over the region / 1000, MSE the mean over the region', () => {
    const gt = new Float32Array(W * H).fill(0.5);
    const pred = new Float32Array(W * H).fill(0.6);
    const mask = new Uint8Array(W * H);
    mask.fill(1, 0, 50);
    expect(sad(pred, gt, W, H)).toBeCloseTo((0.1 * W * H) / 1000, 6);
    expect(sad(pred, gt, W, H, mask)).toBeCloseTo((0.1 * 50) / 1000, 6);
    expect(mse(pred, gt, W, H, mask)).toBeCloseTo(0.01, 6);
  });

  it('gradient error sees a blurred or shifted edge, and the gradient of a unit ramp is near 1/8 per px', () => {
    const gt = ramp();
    const g = gradientMagnitude(gt, W, H);
    // Unit-L2 normalised kernel (as in the benchmark code) scales derivatives; check shape, not scale.
    expect(g[5 * W + 10]).toBeGreaterThan(g[5 * W + 1] * 10);
    expect(gradientError(ramp(2), gt, W, H)).toBeGreaterThan(0);
    const hard = gt.map((v) => (v >= 0.5 ? 1 : 0));
    expect(gradientError(hard, gt, W, H)).toBeGreaterThan(gradientError(ramp(1), gt, W, H));
  });

  it('connectivity error follows Rhemann et al.: a half-opaque hole in an opaque body costs 0.5 per pixel', () => {
    const gt = new Float32Array(W * H);
    for (let y = 1; y < 9; y++) for (let x = 2; x < 14; x++) gt[y * W + x] = 1;
    const pred = Float32Array.from(gt);
    for (let y = 4; y < 7; y++) for (let x = 6; x < 9; x++) pred[y * W + x] = 0.5;
    // The 9 hole pixels leave the connected body at threshold 0.6 (level 0.5): phi_pred = 1, phi_gt = 0.5.
    expect(connectivityError(pred, gt, W, H)).toBeCloseTo(0.0045, 9);
    const mask = new Uint8Array(W * H);
    mask[5 * W + 7] = 1;
    expect(connectivityError(pred, gt, W, H, mask)).toBeCloseTo(0.0005, 9);
  });

  it('rejects mismatched sizes', () => {
    expect(() => sad(new Float32Array(3), new Float32Array(4), 2, 2)).toThrow(MattingError);
  });
});
