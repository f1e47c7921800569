import type { RgbImage } from '../../imaging/raster';

/**
 * The closed-form matting Laplacian (Levin, Lischinski, Weiss 2008) with 3x3 windows, stored as a
 * 5x5 stencil per row: entry k = (dy+2)*5 + (dx+2) holds L(p, p + dy*width + dx). Only the rows
 * asked for are built, from the windows that touch them, so cost and memory follow the unknown
 * region, not the image.
 */
export const STENCIL = 25;
export const STENCIL_CENTER = 12;
export const STENCIL_DX = Int8Array.from({ length: STENCIL }, (_, k) => (k % 5) - 2);
export const STENCIL_DY = Int8Array.from({ length: STENCIL }, (_, k) => Math.floor(k / 5) - 2);

// Stencil entry joining window pixels i and j (both 0..8 in a 3x3 window, row-major).
const WINDOW_PAIR = Int8Array.from({ length: 81 }, (_, ij) => {
  const i = Math.floor(ij / 9);
  const j = ij % 9;
  return STENCIL_CENTER + (Math.floor(j / 3) - Math.floor(i / 3)) * 5 + ((j % 3) - (i % 3));
});

export interface StencilLaplacian {
  width: number;
  height: number;
  /** Pixel index of each built row, in raster order. */
  pixels: Int32Array;
  /** pixels.length * 25 coefficients. */
  values: Float64Array;
}

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
