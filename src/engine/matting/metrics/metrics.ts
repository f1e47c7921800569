import type { Alpha } from '../../imaging/raster';
import { assertPlane } from '../validate';

/**
 * Matte error metrics with the conventions of the alphamatting.com benchmark and the Deep Image
 * Matting evaluation code (alphas in 0..1, computed over `mask` != 0, whole image without one):
 * - sad: sum of absolute differences / 1000
 * - mse: mean squared difference over the region's pixel count (0 for an empty region)
 * - gradientError: sum of (|grad pred| - |grad gt|)^2, Gaussian derivative filters sigma 1.4, / 1000
 * - connectivityError: Rhemann et al.'s connectivity, threshold step 0.1, / 1000
 */
type Metric = (pred: Alpha, gt: Alpha, width: number, height: number, mask?: Uint8Array) => number;

function check(pred: Alpha, gt: Alpha, width: number, height: number, mask?: Uint8Array): void {
  assertPlane(pred, width, height, 'Predicted alpha');
  assertPlane(gt, width, height, 'Ground truth alpha');
  if (mask) assertPlane(mask, width, height, 'Mask');
}

export const sad: Metric = (pred, gt, width, height, mask) => {
  check(pred, gt, width, height, mask);
  let s = 0;
  for (let i = 0; i < pred.length; i++) if (!mask || mask[i]) s += Math.abs(pred[i] - gt[i]);
  return s / 1000;
};

export const mse: Metric = (pred, gt, width, height, mask) => {
  check(pred, gt, width, height, mask);
  let s = 0;
  let count = 0;
  for (let i = 0; i < pred.length; i++) {
    if (mask && !mask[i]) continue;
    const d = pred[i] - gt[i];
    s += d * d;
    count++;
  }
  return count ? s / count : 0;
};

/** Separable form of the benchmark's gaussgradient kernel: Gaussian along one axis, its derivative along the other. */
function gaussianDerivativeKernels(sigma: number): { g: Float64Array; dg: Float64Array; half: number } {
  const epsilon = 1e-2;
  const half = Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * epsilon)));
  const g = new Float64Array(2 * half + 1);
  const dg = new Float64Array(2 * half + 1);
  for (let i = -half; i <= half; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    g[i + half] = v;
    dg[i + half] = (-i * v) / (sigma * sigma);
  }
  // The 2-D kernel g(y)dg(x) is normalised to unit L2 norm; separable, so scale by both 1-D norms.
  let ng = 0;
  let nd = 0;
  for (let i = 0; i < g.length; i++) {
    ng += g[i] * g[i];
    nd += dg[i] * dg[i];
  }
  const norm = Math.sqrt(ng * nd);
  for (let i = 0; i < dg.length; i++) dg[i] /= norm;
  return { g, dg, half };
}

/** 1-D correlation along x (dir 1) or y (dir width) with edge replication. */
function filter1d(src: Float64Array, width: number, height: number, kernel: Float64Array, half: number, alongX: boolean): Float64Array {
  const out = new Float64Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -half; k <= half; k++) {
        const xx = alongX ? Math.min(width - 1, Math.max(0, x + k)) : x;
        const yy = alongX ? y : Math.min(height - 1, Math.max(0, y + k));
        s += kernel[k + half] * src[yy * width + xx];
      }
      out[y * width + x] = s;
    }
  }
  return out;
}

export function gradientMagnitude(alpha: Alpha, width: number, height: number, sigma = 1.4): Float64Array {
  const { g, dg, half } = gaussianDerivativeKernels(sigma);
  const src = Float64Array.from(alpha);
  const gx = filter1d(filter1d(src, width, height, dg, half, true), width, height, g, half, false);
  const gy = filter1d(filter1d(src, width, height, g, half, true), width, height, dg, half, false);
  for (let i = 0; i < gx.length; i++) gx[i] = Math.hypot(gx[i], gy[i]);
  return gx;
}

export const gradientError: Metric = (pred, gt, width, height, mask) => {
  check(pred, gt, width, height, mask);
  const gp = gradientMagnitude(pred, width, height);
  const gg = gradientMagnitude(gt, width, height);
  let s = 0;
  for (let i = 0; i < gp.length; i++) {
    if (mask && !mask[i]) continue;
    const d = gp[i] - gg[i];
    s += d * d;
  }
  return s / 1000;
};

/** 1 on the largest 4-connected component of `set`, 0 elsewhere. */
function largestComponent(set: Uint8Array, width: number, height: number): Uint8Array {
  const label = new Int32Array(set.length).fill(-1);
  const stack = new Int32Array(set.length);
  let best = -1;
  let bestSize = 0;
  let next = 0;
  for (let s = 0; s < set.length; s++) {
    if (!set[s] || label[s] >= 0) continue;
    const id = next++;
    let size = 0;
    let top = 0;
    stack[top++] = s;
    label[s] = id;
    while (top) {
      const p = stack[--top];
      size++;
      const x = p % width;
      const push = (q: number): void => {
        if (set[q] && label[q] < 0) {
          label[q] = id;
          stack[top++] = q;
        }
      };
      if (x > 0) push(p - 1);
      if (x < width - 1) push(p + 1);
      if (p >= width) push(p - width);
      if (p < (height - 1) * width) push(p + width);
    }
    if (size > bestSize) {
      bestSize = size;
      best = id;
    }
  }
  const out = new Uint8Array(set.length);
  for (let i = 0; i < set.length; i++) out[i] = label[i] === best && best >= 0 ? 1 : 0;
  return out;
}

export const connectivityError: Metric = (pred, gt, width, height, mask) => {
  check(pred, gt, width, height, mask);
  const step = 0.1;
  const n = pred.length;
  const level = new Float64Array(n).fill(-1);
  const both = new Uint8Array(n);
  for (let k = 1; k * step <= 1 + 1e-9; k++) {
    const t = k * step;
    for (let i = 0; i < n; i++) both[i] = pred[i] >= t && gt[i] >= t ? 1 : 0;
    const omega = largestComponent(both, width, height);
    for (let i = 0; i < n; i++) if (level[i] === -1 && !omega[i]) level[i] = t - step;
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const l = level[i] === -1 ? 1 : level[i];
    const dp = pred[i] - l;
    const dg = gt[i] - l;
    const phiP = 1 - (dp >= 0.15 ? dp : 0);
    const phiG = 1 - (dg >= 0.15 ? dg : 0);
    s += Math.abs(phiP - phiG);
  }
  return s / 1000;
};

export const metrics = { sad, mse, gradientError, connectivityError } as const;
