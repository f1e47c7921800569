// Frozen copies of the closed-form refinement's helpers before issue 15's speed-up of the work
// around the solve (resample.ts downscales, the Laplacian build, its restriction to the unknowns,
// the box filter, the guided upsampling's coefficients): the reference bench/closed-form-parts.ts times the current ones against,
// interleaved, and compares their outputs with.
import type { Alpha, RgbImage, Trimap } from '../../src/engine/imaging/raster';
import { type GuidedCoefficients, type Planes } from '../../src/engine/matting/filters/guided-filter';
import { upsampleTiles } from '../../src/engine/matting/filters/guided-band';
import { STENCIL, STENCIL_CENTER, STENCIL_DX, STENCIL_DY, type StencilLaplacian } from '../../src/engine/matting/laplacian/laplacian';
import { type StencilSystem, paddedGrid } from '../../src/engine/matting/laplacian/stencil-system';


/** Source ranges [starts[i], starts[i+1]) of each low-resolution index when n samples map to m <= n. */
function spans(n: number, m: number): Int32Array {
  const starts = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) starts[i] = Math.floor((i * n) / m);
  for (let i = 1; i <= m; i++) if (starts[i] <= starts[i - 1]) starts[i] = starts[i - 1] + 1;
  starts[m] = Math.max(starts[m], Math.min(n, starts[m]));
  return starts;
}

/** Area-average downscale of 8-bit RGB. */
export function downscaleRgb(image: RgbImage, lowWidth: number, lowHeight: number): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(lowWidth * lowHeight * 3);
  const acc = new Float64Array(lowWidth * 3);
  const xs = spans(width, lowWidth);
  const ys = spans(height, lowHeight);
  for (let ly = 0; ly < lowHeight; ly++) {
    const y0 = ys[ly];
    const y1 = ys[ly + 1];
    acc.fill(0);
    for (let y = y0; y < y1; y++) {
      for (let lx = 0; lx < lowWidth; lx++) {
        const x0 = xs[lx];
        const x1 = xs[lx + 1];
        let r = 0;
        let g = 0;
        let b = 0;
        for (let i = 3 * (y * width + x0), end = 3 * (y * width + x1); i < end; i += 3) {
          r += data[i];
          g += data[i + 1];
          b += data[i + 2];
        }
        acc[3 * lx] += r;
        acc[3 * lx + 1] += g;
        acc[3 * lx + 2] += b;
      }
    }
    for (let lx = 0; lx < lowWidth; lx++) {
      const inv = 1 / ((xs[lx + 1] - xs[lx]) * (y1 - y0));
      const o = 3 * (ly * lowWidth + lx);
      out[o] = Math.round(acc[3 * lx] * inv);
      out[o + 1] = Math.round(acc[3 * lx + 1] * inv);
      out[o + 2] = Math.round(acc[3 * lx + 2] * inv);
    }
  }
  return { width: lowWidth, height: lowHeight, data: out };
}

/** A rectangle of low-resolution pixels: columns left..right-1, rows top..bottom-1. */
interface LowRegion {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Visits each low-resolution pixel (of `region`, default all) with how many of the source pixels
 * it covers the trimap marks foreground and background, and how many it covers.
 */
function countBlocks(
  trimap: Trimap,
  width: number,
  height: number,
  lowWidth: number,
  lowHeight: number,
  visit: (index: number, fg: number, bg: number, area: number) => void,
  region: LowRegion = { left: 0, top: 0, right: lowWidth, bottom: lowHeight },
): void {
  const xs = spans(width, lowWidth);
  const ys = spans(height, lowHeight);
  for (let ly = region.top; ly < region.bottom; ly++) {
    const y0 = ys[ly];
    const y1 = ys[ly + 1];
    for (let lx = region.left; lx < region.right; lx++) {
      const x0 = xs[lx];
      const x1 = xs[lx + 1];
      let f = 0;
      let b = 0;
      for (let y = y0; y < y1; y++) {
        for (let i = y * width + x0, end = y * width + x1; i < end; i++) {
          const t = trimap[i];
          if (t === 255) f++;
          else if (t === 0) b++;
        }
      }
      visit(ly * lowWidth + lx, f, b, (x1 - x0) * (y1 - y0));
    }
  }
}

/** A low-resolution pixel is known only where every source pixel agrees. */
export function downscaleTrimap(trimap: Trimap, width: number, height: number, lowWidth: number, lowHeight: number): Trimap {
  return downscaleTrimapInto(new Uint8Array(lowWidth * lowHeight), trimap, width, height, lowWidth, lowHeight);
}

/** downscaleTrimap into `out` (lowWidth × lowHeight), only over `region` (the live preview redoes what a stroke changed). */
export function downscaleTrimapInto(out: Trimap, trimap: Trimap, width: number, height: number, lowWidth: number, lowHeight: number, region?: LowRegion): Trimap {
  countBlocks(trimap, width, height, lowWidth, lowHeight, (i, fg, bg, area) => (out[i] = fg === area ? 255 : bg === area ? 0 : 128), region);
  return out;
}


// Stencil entry joining window pixels i and j (both 0..8 in a 3x3 window, row-major).
const WINDOW_PAIR = Int8Array.from({ length: 81 }, (_, ij) => {
  const i = Math.floor(ij / 9);
  const j = ij % 9;
  return STENCIL_CENTER + (Math.floor(j / 3) - Math.floor(i / 3)) * 5 + ((j % 3) - (i % 3));
});

export interface CfLaplacianOptions {
  /** Regularisation of the window covariance; larger gives smoother mattes. Default 1e-7. */
  epsilon?: number;
}

/** Rows for every pixel with rowMask[i] != 0. */
export function buildCfLaplacian(image: RgbImage, rowMask: Uint8Array, options: CfLaplacianOptions = {}): StencilLaplacian {
  const { width, height, data } = image;
  const epsilon = options.epsilon ?? 1e-7;
  const rowOf = new Int32Array(width * height).fill(-1);
  let n = 0;
  for (let i = 0; i < rowMask.length; i++) if (rowMask[i]) rowOf[i] = n++;
  const pixels = new Int32Array(n);
  for (let i = 0, r = 0; i < rowMask.length; i++) if (rowMask[i]) pixels[r++] = i;
  const values = new Float64Array(n * STENCIL);

  const winPix = new Int32Array(9);
  const cr = new Float64Array(9);
  const cg = new Float64Array(9);
  const cb = new Float64Array(9);
  const vr = new Float64Array(9);
  const vg = new Float64Array(9);
  const vb = new Float64Array(9);
  const inv9 = 1 / 9;
  const s = 1 / 255;
  const windowOffset = Int32Array.from({ length: 9 }, (_, k) => (Math.floor(k / 3) - 1) * width + (k % 3) - 1);

  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const c = y * width + x;
      let touches = false;
      for (let dy = -1; dy <= 1 && !touches; dy++) {
        const base = c + dy * width;
        if (rowOf[base - 1] >= 0 || rowOf[base] >= 0 || rowOf[base + 1] >= 0) touches = true;
      }
      if (!touches) continue;

      let mr = 0;
      let mg = 0;
      let mb = 0;
      for (let k = 0; k < 9; k++) {
        const p = c + windowOffset[k];
        winPix[k] = p;
        cr[k] = data[3 * p] * s;
        cg[k] = data[3 * p + 1] * s;
        cb[k] = data[3 * p + 2] * s;
        mr += cr[k];
        mg += cg[k];
        mb += cb[k];
      }
      mr *= inv9;
      mg *= inv9;
      mb *= inv9;
      let srr = 0;
      let srg = 0;
      let srb = 0;
      let sgg = 0;
      let sgb = 0;
      let sbb = 0;
      for (let k = 0; k < 9; k++) {
        const r = (cr[k] -= mr);
        const g = (cg[k] -= mg);
        const b = (cb[k] -= mb);
        srr += r * r;
        srg += r * g;
        srb += r * b;
        sgg += g * g;
        sgb += g * b;
        sbb += b * b;
      }
      const reg = epsilon * inv9;
      const a = srr * inv9 + reg;
      const bq = srg * inv9;
      const cq = srb * inv9;
      const d = sgg * inv9 + reg;
      const e = sgb * inv9;
      const f = sbb * inv9 + reg;
      // Inverse of the symmetric 3x3 [[a b c][b d e][c e f]] by cofactors.
      const i00 = d * f - e * e;
      const i01 = cq * e - bq * f;
      const i02 = bq * e - cq * d;
      const i11 = a * f - cq * cq;
      const i12 = bq * cq - a * e;
      const i22 = a * d - bq * bq;
      const invDet = 1 / (a * i00 + bq * i01 + cq * i02);
      // v = inv9 * Sigma^-1 c, so w_ij = inv9 + v_i . c_j.
      const scale = invDet * inv9;
      for (let k = 0; k < 9; k++) {
        vr[k] = (i00 * cr[k] + i01 * cg[k] + i02 * cb[k]) * scale;
        vg[k] = (i01 * cr[k] + i11 * cg[k] + i12 * cb[k]) * scale;
        vb[k] = (i02 * cr[k] + i12 * cg[k] + i22 * cb[k]) * scale;
      }
      // w_ij = w_ji: each pair is computed once and added to both rows, so the stencil is exactly
      // symmetric (45 instead of 81 products; not measurably faster, the 81 scattered adds remain).
      for (let i = 0; i < 9; i++) {
        const rowI = rowOf[winPix[i]];
        const baseI = rowI * STENCIL;
        const ri = vr[i];
        const gi = vg[i];
        const bi = vb[i];
        if (rowI >= 0) values[baseI + STENCIL_CENTER] += 1 - (inv9 + ri * cr[i] + gi * cg[i] + bi * cb[i]);
        for (let j = i + 1; j < 9; j++) {
          const rowJ = rowOf[winPix[j]];
          if (rowI < 0 && rowJ < 0) continue;
          const w = inv9 + ri * cr[j] + gi * cg[j] + bi * cb[j];
          if (rowI >= 0) values[baseI + WINDOW_PAIR[i * 9 + j]] -= w;
          if (rowJ >= 0) values[rowJ * STENCIL + WINDOW_PAIR[j * 9 + i]] -= w;
        }
      }
    }
  }
  return { width, height, pixels, values };
}

/**
 * Restricts a Laplacian whose rows are exactly the unknown pixels to A = L_uu + ridge*I and moves
 * the known pixels to the right-hand side: b = -L_uk * alpha_k + ridge*prior. The tiny ridge keeps A
 * positive definite where the Laplacian is empty (images under 3 px) without moving the answer.
 * A's values are stored in Float32: every CG iteration reads all of them, and at 1-2 MP they, the
 * preconditioner and the grids do not fit the last-level cache together. The entries are O(1)
 * (1/9 of a Mahalanobis term bounded by the window size), so the rounding moves the answer by far
 * less than the stopping tolerance; the right-hand side is summed from the Float64 values.
 */
export function restrictToUnknown(
  laplacian: StencilLaplacian,
  knownAlpha: Alpha,
  ridge: number,
  prior: number,
): { system: StencilSystem; rhs: Float64Array } {
  const { width, height, pixels, values } = laplacian;
  const n = pixels.length;
  const rowOf = new Int32Array(width * height).fill(-1);
  for (let r = 0; r < n; r++) rowOf[pixels[r]] = r;
  const cols = new Int32Array(n * STENCIL).fill(-1);
  const a = new Float32Array(n * STENCIL);
  const rhs = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const p = pixels[r];
    const x = p % width;
    const y = (p - x) / width;
    const inside = x >= 2 && y >= 2 && x < width - 2 && y < height - 2;
    let b = ridge * prior;
    for (let k = 0, e = r * STENCIL; k < STENCIL; k++, e++) {
      const dx = STENCIL_DX[k];
      const dy = STENCIL_DY[k];
      if (!inside && (x + dx < 0 || y + dy < 0 || x + dx >= width || y + dy >= height)) continue;
      const q = p + dy * width + dx;
      const c = rowOf[q];
      if (c >= 0) {
        cols[e] = c;
        a[e] = values[e];
      } else {
        const v = values[e];
        if (v !== 0) b -= v * knownAlpha[q];
      }
    }
    a[r * STENCIL + STENCIL_CENTER] = values[r * STENCIL + STENCIL_CENTER] + ridge;
    rhs[r] = b;
  }
  return { system: { n, cols, values: a, ...paddedGrid(width, height, pixels) }, rhs };
}


/**
 * Mean over a (2r+1)^2 window clipped to the image, O(N) whatever r: running sums along rows, then
 * running column sums down the image (row-major access in both passes).
 */
export function boxMean(
  src: Float32Array,
  width: number,
  height: number,
  r: number,
  out: Float32Array,
  tmp: Float32Array,
  colSum: Float64Array,
  invCountX: Float64Array,
): void {
  for (let x = 0; x < width; x++) invCountX[x] = 1 / (Math.min(x + r, width - 1) - Math.max(x - r, 0) + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let s = 0;
    const first = Math.min(r, width - 1);
    for (let x = 0; x <= first; x++) s += src[row + x];
    for (let x = 0; x < width; x++) {
      tmp[row + x] = s;
      const add = x + r + 1;
      if (add < width) s += src[row + add];
      const sub = x - r;
      if (sub >= 0) s -= src[row + sub];
    }
  }
  colSum.fill(0, 0, width);
  const firstRow = Math.min(r, height - 1);
  for (let y = 0; y <= firstRow; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) colSum[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const invCy = 1 / (Math.min(y + r, height - 1) - Math.max(y - r, 0) + 1);
    for (let x = 0; x < width; x++) out[row + x] = colSum[x] * invCountX[x] * invCy;
    const add = y + r + 1;
    if (add < height) {
      const ar = add * width;
      for (let x = 0; x < width; x++) colSum[x] += tmp[ar + x];
    }
    const sub = y - r;
    if (sub >= 0) {
      const sr = sub * width;
      for (let x = 0; x < width; x++) colSum[x] -= tmp[sr + x];
    }
  }
}

const GUIDED_TILE = 32;

/** O(N) coefficients of the colour guided filter of p with guide I (planes 0..1). */
export function guidedCoefficients(guide: Planes, p: Float32Array, width: number, height: number, radius: number, epsilon: number): GuidedCoefficients {
  const n = width * height;
  const tmp = new Float32Array(width * height);
  const colSum = new Float64Array(width);
  const invCountX = new Float64Array(width);
  const box = (src: Float32Array, r: number, out: Float32Array = new Float32Array(width * height)): Float32Array => {
    boxMean(src, width, height, Math.max(0, Math.round(r)), out, tmp, colSum, invCountX);
    return out;
  };
  const [ir, ig, ib] = guide;
  const prod = new Float32Array(n);
  const mr = box(ir, radius);
  const mg = box(ig, radius);
  const mb = box(ib, radius);
  const mp = box(p, radius);
  const product = (x: Float32Array, y: Float32Array): Float32Array => {
    for (let i = 0; i < n; i++) prod[i] = x[i] * y[i];
    return box(prod, radius);
  };
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


/**
 * guidedCoefficients only inside the `needed` tiles; 0 elsewhere. Each run of needed tiles along a
 * tile row is computed on its own with a margin of 2r (clipped to the image): the window means of
 * the guide and p are exact from r inside that margin and the averaged coefficients from 2r, where
 * every window lies inside the image or is clipped by the image's own border, as in the whole-image
 * filter. The values equal the whole-image ones up to the float32 rounding of the running sums.
 */
export function guidedCoefficientsInTiles(
  guide: Planes,
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
  guide: Planes,
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
  const c = guidedCoefficients([crop(guide[0]), crop(guide[1]), crop(guide[2])], crop(p), rw, rh, radius, epsilon);
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
 * filter's coefficients at working resolution restricted to the unknown band's neighbourhood.
 */
export function guidedCoefficientsForBand(guide: Planes, p: Float32Array, lowWidth: number, lowHeight: number, radius: number, epsilon: number, image: RgbImage, trimap: Trimap): GuidedCoefficients {
  const needed = upsampleTiles(trimap, image.width, image.height, lowWidth, lowHeight, GUIDED_TILE);
  return guidedCoefficientsInTiles(guide, p, lowWidth, lowHeight, radius, epsilon, needed);
}
