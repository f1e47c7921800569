// Frozen copy of src/engine/matting/trimap/trimap.ts before the speed-up: the reference that
// bench/foreground-trimap.ts and the unit tests compare the optimised version against.
import type { Trimap } from '../../src/engine/imaging/raster';
import { MattingError } from '../../src/engine/matting/errors';
import { squaredDistanceTo } from '../../src/engine/matting/trimap/morphology';
import { assertPlane } from '../../src/engine/matting/validate';

export interface TrimapOptions {
  /** Probability at or above which a pixel counts as foreground. Default 0.5. */
  threshold?: number;
  /**
   * Radius of the elliptical erosion (foreground side) and dilation (background side), so the
   * unknown band is about twice as wide. A number is pixels; a string like '1.5%' is a percentage
   * of the longer image side. Default '1%'.
   */
  band?: number | `${number}%`;
  /** Pixels whose probability lies strictly inside [low, high] are marked unknown as well. */
  uncertain?: [low: number, high: number];
}

export function bandRadiusPx(band: TrimapOptions['band'], width: number, height: number): number {
  const spec = band ?? '1%';
  let px: number;
  if (typeof spec === 'number') px = spec;
  else {
    const pct = Number.parseFloat(spec);
    if (!spec.endsWith('%') || !Number.isFinite(pct)) {
      throw new MattingError('INVALID_OPTIONS', `Band must be pixels or a percentage like '1%', got ${spec}`);
    }
    px = (pct / 100) * Math.max(width, height);
  }
  if (!Number.isFinite(px) || px < 0) throw new MattingError('INVALID_OPTIONS', `Band radius must be >= 0, got ${px}`);
  return px;
}

/**
 * Trimap from a foreground probability (Float32 0..1) or a mask (Uint8 0..255): foreground eroded
 * and background (the complement of the dilated foreground) are known, the rest is unknown (128).
 */
export function makeTrimap(
  prob: Float32Array | Uint8Array,
  width: number,
  height: number,
  options: TrimapOptions = {},
): Trimap {
  assertPlane(prob, width, height, 'Probability map');
  const threshold = options.threshold ?? 0.5;
  const scale = prob instanceof Uint8Array ? 1 / 255 : 1;
  const radius = bandRadiusPx(options.band, width, height);
  const r2 = radius * radius;
  const n = width * height;
  const foreground = new Uint8Array(n);
  const background = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const fg = prob[i] * scale >= threshold; // NaN compares false: background
    foreground[i] = fg ? 1 : 0;
    background[i] = fg ? 0 : 1;
  }
  const trimap = new Uint8Array(n);
  // Distance to the nearest background pixel decides erosion, to the nearest foreground pixel dilation.
  const toBackground = squaredDistanceTo(width, height, background);
  for (let i = 0; i < n; i++) trimap[i] = foreground[i] && toBackground[i] > r2 ? 255 : 128;
  const toForeground = squaredDistanceTo(width, height, foreground);
  for (let i = 0; i < n; i++) if (toForeground[i] > r2) trimap[i] = 0;
  if (options.uncertain) {
    const [low, high] = options.uncertain;
    for (let i = 0; i < n; i++) {
      const v = prob[i] * scale;
      if (v > low && v < high) trimap[i] = 128;
    }
  }
  return trimap;
}

/** 1 where the trimap is unknown: the region the benchmarks' metrics are computed over. */
export function unknownMask(trimap: Trimap): Uint8Array {
  const mask = new Uint8Array(trimap.length);
  for (let i = 0; i < trimap.length; i++) mask[i] = trimap[i] !== 0 && trimap[i] !== 255 ? 1 : 0;
  return mask;
}
