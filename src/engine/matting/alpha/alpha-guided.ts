import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import { guidedCoefficientsForBand } from '../filters/guided-band';
import { upsampleWithGuide } from '../filters/guided-filter';
import { squaredDistanceTo } from '../trimap/morphology';
import { downscaleRgb, rgbPlanes, trimapFractions } from '../resample';

export interface GuidedOptions {
  /** Guided filter window radius in full-resolution px; 'auto' follows the unknown band width. */
  radius: number | 'auto';
  epsilon: number;
  /** Work at 1/subsample resolution and upsample the linear model (fast guided filter). */
  subsample: number | 'auto';
}

// Radius half the band and epsilon 1e-2: best of the grid measured on the 64x64 and 640x480 composites.
export const guidedDefaults: GuidedOptions = { radius: 'auto', epsilon: 1e-2, subsample: 'auto' };

/**
 * Mean width of the unknown band in px: twice its area over its boundary length (a band of width
 * w and length L has area wL and 2L boundary pixels). O(N).
 */
export function estimateBandWidth(trimap: Trimap, width: number, height: number): number {
  let area = 0;
  let boundary = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const t = trimap[i];
      if (t === 0 || t === 255) continue;
      area++;
      const l = x > 0 ? trimap[i - 1] : 128;
      const r = x < width - 1 ? trimap[i + 1] : 128;
      const u = y > 0 ? trimap[i - width] : 128;
      const d = y < height - 1 ? trimap[i + width] : 128;
      if (l === 0 || l === 255 || r === 0 || r === 255 || u === 0 || u === 255 || d === 0 || d === 255) boundary++;
    }
  }
  return boundary > 0 ? (2 * area) / boundary : Math.max(width, height);
}

/**
 * Subsampling that keeps the low-resolution grid near 10k px but never coarser than half the
 * filter radius, so the band stays resolved. Measured at 640x480 (band ~24 px): s = 6 runs in
 * 6.5 ms at MSE 0.0181, s = 4 in 10.6 ms at 0.0183, no subsampling 196 ms at 0.0154.
 */
export function autoSubsample(width: number, height: number, radius: number): number {
  return Math.max(1, Math.min(Math.round(Math.sqrt((width * height) / 1e4)), Math.floor(radius / 2)));
}

/**
 * Guided feathering (He, Sun, Tang): split the unknown band at its midline (nearer known side
 * wins, by exact distance transforms), then a colour guided filter with a window of half the band
 * width turns that hard cut into an alpha that follows the image. O(N); run on a subsampled grid
 * with the linear model upsampled (the fast guided filter) for large images. Measured on the
 * composites, this beat projecting colours onto local mean F/B lines (MSE 0.015 vs 0.115 at
 * 640x480), because textured F and B make local means poor colour models.
 */
export function guidedAlpha(image: RgbImage, trimap: Trimap, options: Partial<GuidedOptions> = {}): Alpha {
  const opts = { ...guidedDefaults, ...options };
  const { width, height } = image;
  const band = estimateBandWidth(trimap, width, height);
  const radius = opts.radius === 'auto' ? Math.max(1, Math.round(band / 2)) : opts.radius;
  const s = opts.subsample === 'auto' ? autoSubsample(width, height, radius) : Math.max(1, Math.round(opts.subsample));
  const lw = Math.max(1, Math.ceil(width / s));
  const lh = Math.max(1, Math.ceil(height / s));
  const n = lw * lh;

  const low = s === 1 ? image : downscaleRgb(image, lw, lh);
  const guide = rgbPlanes(low);
  const { fg: wf, bg: wb } = trimapFractions(trimap, width, height, lw, lh);
  const toFg = squaredDistanceTo(lw, lh, Uint8Array.from(wf, (v) => (v > 0.5 ? 1 : 0)));
  const toBg = squaredDistanceTo(lw, lh, Uint8Array.from(wb, (v) => (v > 0.5 ? 1 : 0)));
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const unknown = 1 - wf[i] - wb[i];
    p[i] = wf[i] + (unknown > 0 && toFg[i] < toBg[i] ? unknown : 0);
  }
  const coefficients = guidedCoefficientsForBand(guide, p, lw, lh, Math.max(1, Math.round(radius / s)), opts.epsilon, image, trimap);
  return upsampleWithGuide(coefficients, image, trimap);
}
