import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import { makeBoxFilter } from './box-filter';

export type Planes = [Float32Array, Float32Array, Float32Array];

/** Window-averaged linear model q = a . I + b of the colour guided filter (He, Sun, Tang). */
export interface GuidedCoefficients {
  width: number;
  height: number;
  ar: Float32Array;
  ag: Float32Array;
  ab: Float32Array;
  b: Float32Array;
}

/** O(N) coefficients of the colour guided filter of p with guide I (planes 0..1). */
export function guidedCoefficients(guide: Planes, p: Float32Array, width: number, height: number, radius: number, epsilon: number): GuidedCoefficients {
  const n = width * height;
  const box = makeBoxFilter(width, height);
  const [ir, ig, ib] = guide;
  const mr = box(ir, radius);
  const mg = box(ig, radius);
  const mb = box(ib, radius);
  const mp = box(p, radius);
  const product = (x: Float32Array, y: Float32Array): Float32Array => box(x, radius, undefined, y);
  const prp = product(ir, p);
  const pgp = product(ig, p);
  const pbp = product(ib, p);
  const vrr = product(ir, ir);
  const vrg = product(ir, ig);
  const vrb = product(ir, ib);
  const vgg = product(ig, ig);
  const vgb = product(ig, ib);
  const vbb = product(ib, ib);
  // Reuse buffers: the covariance-solved a goes into prp/pgp/pbp, b into mp.
  for (let i = 0; i < n; i++) {
    const r = mr[i];
    const g = mg[i];
    const bb = mb[i];
    const m = mp[i];
    const cr = prp[i] - r * m;
    const cg = pgp[i] - g * m;
    const cb = pbp[i] - bb * m;
    const a11 = vrr[i] - r * r + epsilon;
    const a12 = vrg[i] - r * g;
    const a13 = vrb[i] - r * bb;
    const a22 = vgg[i] - g * g + epsilon;
    const a23 = vgb[i] - g * bb;
    const a33 = vbb[i] - bb * bb + epsilon;
    const i11 = a22 * a33 - a23 * a23;
    const i12 = a13 * a23 - a12 * a33;
    const i13 = a12 * a23 - a13 * a22;
    const i22 = a11 * a33 - a13 * a13;
    const i23 = a12 * a13 - a11 * a23;
    const i33 = a11 * a22 - a12 * a12;
    const det = a11 * i11 + a12 * i12 + a13 * i13;
    const inv = det > 1e-30 ? 1 / det : 0;
    const xr = (i11 * cr + i12 * cg + i13 * cb) * inv;
    const xg = (i12 * cr + i22 * cg + i23 * cb) * inv;
    const xb = (i13 * cr + i23 * cg + i33 * cb) * inv;
    prp[i] = xr;
    pgp[i] = xg;
    pbp[i] = xb;
    mp[i] = m - xr * r - xg * g - xb * bb;
  }
  return {
    width,
    height,
    ar: box(prp, radius, vrr),
    ag: box(pgp, radius, vrg),
    ab: box(pbp, radius, vrb),
    b: box(mp, radius, vgg),
  };
}

/** The guided filter output at the coefficients' own resolution. */
export function applyCoefficients(c: GuidedCoefficients, guide: Planes): Float32Array {
  const out = new Float32Array(c.width * c.height);
  const [ir, ig, ib] = guide;
  for (let i = 0; i < out.length; i++) out[i] = c.ar[i] * ir[i] + c.ag[i] * ig[i] + c.ab[i] * ib[i] + c.b[i];
  return out;
}

export function guidedFilter(guide: Planes, p: Float32Array, width: number, height: number, radius: number, epsilon: number): Float32Array {
  return applyCoefficients(guidedCoefficients(guide, p, width, height, radius, epsilon), guide);
}

/** Bilinear sampling positions from a full-resolution axis of n to a low one of m (pixel centres aligned). */
export function axisTaps(n: number, m: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const w = new Float32Array(n);
  for (let x = 0; x < n; x++) {
    let u = ((x + 0.5) * m) / n - 0.5;
    if (u < 0) u = 0;
    if (u > m - 1) u = m - 1;
    const f = Math.floor(u);
    i0[x] = f;
    i1[x] = Math.min(f + 1, m - 1);
    w[x] = u - f;
  }
  return { i0, i1, w };
}

/**
 * Evaluates low-resolution guided-filter coefficients at full resolution, q = a(x) . I(x) + b(x)
 * with a, b bilinearly upsampled (the fast guided filter's joint upsampling). Only unknown pixels
 * of `trimap` are computed; known ones get 0/1. Reads the 8-bit image directly so no full-size
 * float copy of it is made.
 */
export function upsampleWithGuide(c: GuidedCoefficients, image: RgbImage, trimap: Trimap, out: Alpha = new Float32Array(image.width * image.height)): Alpha {
  const { width, height, data } = image;
  const lw = c.width;
  const xs = axisTaps(width, lw);
  const ys = axisTaps(height, c.height);
  const { ar, ag, ab, b } = c;
  const s = 1 / 255;
  for (let y = 0; y < height; y++) {
    const r0 = ys.i0[y] * lw;
    const r1 = ys.i1[y] * lw;
    const wy = ys.w[y];
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const t = trimap[i];
      if (t === 255) {
        out[i] = 1;
        continue;
      }
      if (t === 0) {
        out[i] = 0;
        continue;
      }
      const x0 = xs.i0[x];
      const x1 = xs.i1[x];
      const wx = xs.w[x];
      const w00 = (1 - wx) * (1 - wy);
      const w01 = wx * (1 - wy);
      const w10 = (1 - wx) * wy;
      const w11 = wx * wy;
      const p00 = r0 + x0;
      const p01 = r0 + x1;
      const p10 = r1 + x0;
      const p11 = r1 + x1;
      const va = w00 * ar[p00] + w01 * ar[p01] + w10 * ar[p10] + w11 * ar[p11];
      const vg = w00 * ag[p00] + w01 * ag[p01] + w10 * ag[p10] + w11 * ag[p11];
      const vb = w00 * ab[p00] + w01 * ab[p01] + w10 * ab[p10] + w11 * ab[p11];
      const vc = w00 * b[p00] + w01 * b[p01] + w10 * b[p10] + w11 * b[p11];
      const q = (va * data[3 * i] + vg * data[3 * i + 1] + vb * data[3 * i + 2]) * s + vc;
      out[i] = q !== q ? 0.5 : q < 0 ? 0 : q > 1 ? 1 : q;
    }
  }
  return out;
}
