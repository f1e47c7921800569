import type { Alpha } from '../imaging/raster';
import { STENCIL, STENCIL_CENTER, STENCIL_DX, STENCIL_DY, type StencilLaplacian } from './laplacian';

/** A symmetric system over the unknown pixels with the 5x5 stencil layout; col -1 = no entry. */
export interface StencilSystem {
  n: number;
  cols: Int32Array;
  values: Float64Array;
}

/**
 * Restricts a Laplacian whose rows are exactly the unknown pixels to A = L_uu + ridge*I and moves
 * the known pixels to the right-hand side: b = -L_uk * alpha_k + ridge*prior. The tiny ridge keeps A
 * positive definite where the Laplacian is empty (images under 3 px) without moving the answer.
 */
export function restrictToUnknown(
  laplacian: StencilLaplacian,
  knownAlpha: Alpha,
  ridge: number,
  prior: number,
): { system: StencilSystem; rhs: Float64Array } {
  const { width, height, pixels, values: lv } = laplacian;
  const n = pixels.length;
  const rowOf = new Int32Array(width * height).fill(-1);
  for (let r = 0; r < n; r++) rowOf[pixels[r]] = r;
  const cols = new Int32Array(n * STENCIL).fill(-1);
  const values = new Float64Array(n * STENCIL);
  const rhs = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const p = pixels[r];
    const x = p % width;
    const y = (p - x) / width;
    let b = ridge * prior;
    for (let k = 0; k < STENCIL; k++) {
      const v = lv[r * STENCIL + k];
      const nx = x + STENCIL_DX[k];
      const ny = y + STENCIL_DY[k];
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = ny * width + nx;
      const c = rowOf[q];
      if (c >= 0) {
        cols[r * STENCIL + k] = c;
        values[r * STENCIL + k] = v;
      } else if (v !== 0) {
        b -= v * knownAlpha[q];
      }
    }
    values[r * STENCIL + STENCIL_CENTER] += ridge;
    rhs[r] = b;
  }
  return { system: { n, cols, values }, rhs };
}

export function stencilMatvec(a: StencilSystem, x: Float64Array, y: Float64Array): void {
  const { n, cols, values } = a;
  for (let r = 0; r < n; r++) {
    let s = 0;
    const base = r * STENCIL;
    for (let k = 0; k < STENCIL; k++) {
      const c = cols[base + k];
      if (c >= 0) s += values[base + k] * x[c];
    }
    y[r] = s;
  }
}

export function stencilDiagonal(a: StencilSystem): Float64Array {
  const d = new Float64Array(a.n);
  for (let r = 0; r < a.n; r++) d[r] = a.values[r * STENCIL + STENCIL_CENTER];
  return d;
}
