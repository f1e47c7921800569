import type { RgbImage, Trimap } from '../../imaging/raster';
import { type GuidedCoefficients, type Planes, axisTaps, guidedCoefficients } from './guided-filter';
import { rgbPlanes } from '../resample';

/**
 * Side of the square tiles, in working-resolution px, that the coefficients are computed by.
 * Smaller tiles follow a thin band more closely but pay the 2r margin around each run of them more
 * often.
 */
export const GUIDED_TILE = 32;

/**
 * The tiles (row-major flags, `GUIDED_TILE` px at working resolution) that hold a coefficient
 * upsampleWithGuide reads: the bilinear taps of every unknown pixel of the full-resolution trimap.
 * Known pixels read none (they are pinned to 0/1), so an empty band needs no tile.
 */
export function upsampleTiles(trimap: Trimap, width: number, height: number, lowWidth: number, lowHeight: number, tile = GUIDED_TILE): Uint8Array {
  const tilesX = Math.ceil(lowWidth / tile);
  const needed = new Uint8Array(tilesX * Math.ceil(lowHeight / tile));
  const xs = axisTaps(width, lowWidth);
  const ys = axisTaps(height, lowHeight);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const t0 = Math.floor(ys.i0[y] / tile) * tilesX;
    const t1 = Math.floor(ys.i1[y] / tile) * tilesX;
    for (let x = 0; x < width; x++) {
      const t = trimap[row + x];
      if (t === 0 || t === 255) continue;
      const c0 = Math.floor(xs.i0[x] / tile);
      const c1 = Math.floor(xs.i1[x] / tile);
      needed[t0 + c0] = 1;
      needed[t0 + c1] = 1;
      needed[t1 + c0] = 1;
      needed[t1 + c1] = 1;
    }
  }
  return needed;
}

/**
 * guidedCoefficients only inside the `needed` tiles; 0 elsewhere. Each run of needed tiles along a
 * tile row is computed on its own with a margin of 2r (clipped to the image): the window means of
 * the guide and p are exact from r inside that margin and the averaged coefficients from 2r, where
 * every window lies inside the image or is clipped by the image's own border, as in the whole-image
 * filter. The values equal the whole-image ones up to the float32 rounding of the running sums.
 */
export function guidedCoefficientsInTiles(
  guide: Planes | RgbImage,
  p: Float32Array,
  width: number,
  height: number,
  radius: number,
  epsilon: number,
  needed: Uint8Array,
  tile = GUIDED_TILE,
): GuidedCoefficients {
  const n = width * height;
  const out: GuidedCoefficients = { width, height, ar: new Float32Array(n), ag: new Float32Array(n), ab: new Float32Array(n), b: new Float32Array(n) };
  // The box filter rounds its radius the same way.
  const margin = 2 * Math.max(0, Math.round(radius));
  const tilesX = Math.ceil(width / tile);
  const tilesY = Math.ceil(height / tile);
  for (let ty = 0; ty < tilesY; ty++) {
    for (let tx = 0; tx < tilesX; tx++) {
      if (!needed[ty * tilesX + tx]) continue;
      let end = tx + 1;
      while (end < tilesX && needed[ty * tilesX + end]) end++;
      const x0 = tx * tile;
      const x1 = Math.min(width, end * tile);
      const y0 = ty * tile;
      const y1 = Math.min(height, (ty + 1) * tile);
      computeRegion(guide, p, width, height, radius, epsilon, x0, x1, y0, y1, margin, out);
      tx = end;
    }
  }
  return out;
}

/** The coefficients of [x0, x1) x [y0, y1) from a copy of that box grown by `margin`. */
function computeRegion(
  guide: Planes | RgbImage,
  p: Float32Array,
  width: number,
  height: number,
  radius: number,
  epsilon: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  margin: number,
  out: GuidedCoefficients,
): void {
  const gx0 = Math.max(0, x0 - margin);
  const gx1 = Math.min(width, x1 + margin);
  const gy0 = Math.max(0, y0 - margin);
  const gy1 = Math.min(height, y1 + margin);
  const rw = gx1 - gx0;
  const rh = gy1 - gy0;
  const crop = (src: Float32Array): Float32Array => {
    const dst = new Float32Array(rw * rh);
    for (let y = 0; y < rh; y++) dst.set(src.subarray((gy0 + y) * width + gx0, (gy0 + y) * width + gx1), y * rw);
    return dst;
  };
  const planes: Planes = Array.isArray(guide) ? [crop(guide[0]), crop(guide[1]), crop(guide[2])] : rgbPlanes(guide, { left: gx0, top: gy0, right: gx1, bottom: gy1 });
  const c = guidedCoefficients(planes, crop(p), rw, rh, radius, epsilon);
  const dx = x0 - gx0;
  for (let y = y0; y < y1; y++) {
    const from = (y - gy0) * rw + dx;
    const to = y * width + x0;
    const len = x1 - x0;
    out.ar.set(c.ar.subarray(from, from + len), to);
    out.ag.set(c.ag.subarray(from, from + len), to);
    out.ab.set(c.ab.subarray(from, from + len), to);
    out.b.set(c.b.subarray(from, from + len), to);
  }
}

/**
 * The coefficients upsampleWithGuide(·, image, trimap) reads, and only those: the fast guided
 * filter's coefficients at working resolution restricted to the unknown band's neighbourhood. The
 * guide may be the working image itself: its planes are then made only in the tiles (refineAlpha:
 * a 1 MP image's three whole planes cost 6-7 ms CPU; the tiles of a portrait's band, margins included,
 * cover about 15 % of it).
 */
export function guidedCoefficientsForBand(guide: Planes | RgbImage, p: Float32Array, lowWidth: number, lowHeight: number, radius: number, epsilon: number, image: RgbImage, trimap: Trimap): GuidedCoefficients {
  const needed = upsampleTiles(trimap, image.width, image.height, lowWidth, lowHeight);
  return guidedCoefficientsInTiles(guide, p, lowWidth, lowHeight, radius, epsilon, needed);
}
