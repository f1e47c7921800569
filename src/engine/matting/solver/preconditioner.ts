import { STENCIL, STENCIL_CENTER } from '../laplacian/laplacian';
import { type StencilSystem, stencilDiagonal } from '../laplacian/stencil-system';

/** z = M^-1 r. */
export type Preconditioner = (r: Float64Array, z: Float64Array) => void;
export type PreconditionerId = 'none' | 'jacobi' | 'ichol';
export const preconditionerIds: readonly PreconditionerId[] = ['none', 'jacobi', 'ichol'];

export function identityPreconditioner(): Preconditioner {
  return (r, z) => z.set(r);
}

export function jacobiPreconditioner(diagonal: Float64Array): Preconditioner {
  const inv = new Float64Array(diagonal.length);
  for (let i = 0; i < inv.length; i++) inv[i] = diagonal[i] > 0 ? 1 / diagonal[i] : 1;
  return (r, z) => {
    for (let i = 0; i < inv.length; i++) z[i] = r[i] * inv[i];
  };
}

// Lower half of the stencil in raster order: indices 0..11.
const LOWER = STENCIL_CENTER;

/**
 * Zero fill-in incomplete Cholesky, A ~ L L^T, on the stencil pattern in raster order. The matting
 * Laplacian is not an M-matrix, so IC(0) can meet a non-positive pivot: then the diagonal is
 * shifted (Manteuffel) and the factorisation restarted.
 *
 * The factor is stored in Float32, with the inverse of its diagonal: it only preconditions, so its
 * rounding costs no accuracy in the answer, and at 1-2 MP the stencil values, the factor and the
 * grids do not fit the last-level cache together, so each CG iteration is bound by the bytes read.
 *
 * Alternatives measured on bench/solver-compare.ts's 15 composites at the default stops (IC(0):
 * 28.8 full-resolution + 15.7 half-resolution iterations, SAD 9.00 against the true alpha), none
 * cheaper at the same SAD (iterations are means at full resolution unless said): relaxed modified IC
 * (row sums kept, omega 0.5 / 0.9 / 0.97) 29 / 46 / 47, SAD 9.26-9.68; D-ILU meets non-positive
 * pivots on most systems (floored at 0.05-0.4 of the diagonal: 104 to over 700); SSOR, which the
 * Eisenstat trick would make as cheap as one product per iteration, 59 at omega 1.7 (70 at 1);
 * IC(0) plus a correction on the half-resolution system (its own IC(0) as the coarse solve), per
 * input 61-222 additive, 12-401 multiplicative at twice the cost of an iteration.
 */
export function incompleteCholesky(a: StencilSystem): Preconditioner {
  const { n, cols, values } = a;
  const lower = new Float32Array(n * LOWER);
  const invDiag = new Float32Array(n);
  // Inverse pivots as factored, in Float64: the rows after divide by them.
  const invPivot = new Float64Array(n);
  let shift = 0;
  let factored = false;
  for (let attempt = 0; attempt < 30 && !factored; attempt++) {
    factored = factorRows(n, cols, values, shift, lower, invPivot);
    shift = shift === 0 ? 1e-3 : shift * 2;
  }
  // A diagonal shifted 2^28-fold is never needed in practice; fall back rather than return junk.
  if (!factored) return jacobiPreconditioner(stencilDiagonal(a));
  for (let r = 0; r < n; r++) invDiag[r] = invPivot[r];

  const Y = new Float64Array(a.gridSize);
  return (rv, z) => triangularSolves(n, lower, invDiag, a.grid, a.offsets, Y, rv, z);
}

/**
 * IC(0) rows in raster order; false at a non-positive pivot. Row r's lower entry k (column c =
 * r + off_k) is (a_rk - sum l_rm * l_cm') / l_cc over the pairs with off_m = off_k + off_m', m and m'
 * both lower: the terms below are those pairs, written out (with the row's entries in locals) because
 * the generic pair loop over a table cost several times as much (V8 checks every typed-array index).
 */
function factorRows(n: number, cols: Int32Array, values: Float32Array, shift: number, lower: Float32Array, invPivot: Float64Array): boolean {
  let c = 0;
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0, l8 = 0, l9 = 0, l10 = 0, l11 = 0;
  for (let r = 0; r < n; r++) {
    const base = r * STENCIL;
      c = cols[base + 0];
      if (c < 0) l0 = 0;
      else {
        l0 = (values[base + 0]) * invPivot[c];
      }
      c = cols[base + 1];
      if (c < 0) l1 = 0;
      else {
        const cb = c * LOWER;
        l1 = (values[base + 1] - l0 * lower[cb + 11]) * invPivot[c];
      }
      c = cols[base + 2];
      if (c < 0) l2 = 0;
      else {
        const cb = c * LOWER;
        l2 = (values[base + 2] - l0 * lower[cb + 10] - l1 * lower[cb + 11]) * invPivot[c];
      }
      c = cols[base + 3];
      if (c < 0) l3 = 0;
      else {
        const cb = c * LOWER;
        l3 = (values[base + 3] - l1 * lower[cb + 10] - l2 * lower[cb + 11]) * invPivot[c];
      }
      c = cols[base + 4];
      if (c < 0) l4 = 0;
      else {
        const cb = c * LOWER;
        l4 = (values[base + 4] - l2 * lower[cb + 10] - l3 * lower[cb + 11]) * invPivot[c];
      }
      c = cols[base + 5];
      if (c < 0) l5 = 0;
      else {
        const cb = c * LOWER;
        l5 = (values[base + 5] - l0 * lower[cb + 7] - l1 * lower[cb + 8] - l2 * lower[cb + 9]) * invPivot[c];
      }
      c = cols[base + 6];
      if (c < 0) l6 = 0;
      else {
        const cb = c * LOWER;
        l6 = (values[base + 6] - l0 * lower[cb + 6] - l1 * lower[cb + 7] - l2 * lower[cb + 8] - l3 * lower[cb + 9] - l5 * lower[cb + 11]) * invPivot[c];
      }
      c = cols[base + 7];
      if (c < 0) l7 = 0;
      else {
        const cb = c * LOWER;
        l7 = (values[base + 7] - l0 * lower[cb + 5] - l1 * lower[cb + 6] - l2 * lower[cb + 7] - l3 * lower[cb + 8] - l4 * lower[cb + 9] - l5 * lower[cb + 10] - l6 * lower[cb + 11]) * invPivot[c];
      }
      c = cols[base + 8];
      if (c < 0) l8 = 0;
      else {
        const cb = c * LOWER;
        l8 = (values[base + 8] - l1 * lower[cb + 5] - l2 * lower[cb + 6] - l3 * lower[cb + 7] - l4 * lower[cb + 8] - l6 * lower[cb + 10] - l7 * lower[cb + 11]) * invPivot[c];
      }
      c = cols[base + 9];
      if (c < 0) l9 = 0;
      else {
        const cb = c * LOWER;
        l9 = (values[base + 9] - l2 * lower[cb + 5] - l3 * lower[cb + 6] - l4 * lower[cb + 7] - l7 * lower[cb + 10] - l8 * lower[cb + 11]) * invPivot[c];
      }
      c = cols[base + 10];
      if (c < 0) l10 = 0;
      else {
        const cb = c * LOWER;
        l10 = (values[base + 10] - l0 * lower[cb + 2] - l1 * lower[cb + 3] - l2 * lower[cb + 4] - l5 * lower[cb + 7] - l6 * lower[cb + 8] - l7 * lower[cb + 9]) * invPivot[c];
      }
      c = cols[base + 11];
      if (c < 0) l11 = 0;
      else {
        const cb = c * LOWER;
        l11 = (values[base + 11] - l0 * lower[cb + 1] - l1 * lower[cb + 2] - l2 * lower[cb + 3] - l3 * lower[cb + 4] - l5 * lower[cb + 6] - l6 * lower[cb + 7] - l7 * lower[cb + 8] - l8 * lower[cb + 9] - l10 * lower[cb + 11]) * invPivot[c];
      }
    const lr = r * LOWER;
    lower[lr] = l0;
    lower[lr + 1] = l1;
    lower[lr + 2] = l2;
    lower[lr + 3] = l3;
    lower[lr + 4] = l4;
    lower[lr + 5] = l5;
    lower[lr + 6] = l6;
    lower[lr + 7] = l7;
    lower[lr + 8] = l8;
    lower[lr + 9] = l9;
    lower[lr + 10] = l10;
    lower[lr + 11] = l11;
    const center = values[base + STENCIL_CENTER];
    const d = center * (1 + shift) - (l0 * l0 + l1 * l1 + l2 * l2 + l3 * l3 + l4 * l4 + l5 * l5 + l6 * l6 + l7 * l7 + l8 * l8 + l9 * l9 + l10 * l10 + l11 * l11);
    if (!(d > 1e-12 * Math.max(1e-300, center))) return false;
    invPivot[r] = 1 / Math.sqrt(d);
  }
  return true;
}

/**
 * z = (L L^T)^-1 r in the zero-padded pixel grid: entries to known pixels are 0 in L, so the grid
 * stays 0 there and every neighbour is a constant offset. Written out and closure-free for the
 * same reasons as the stencil product.
 */
function triangularSolves(
  n: number,
  L: Float32Array,
  invDiag: Float32Array,
  grid: Int32Array,
  offsets: Int32Array,
  Y: Float64Array,
  rv: Float64Array,
  z: Float64Array,
): void {
  const [o0, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, o11] = offsets;
  for (let r = 0; r < n; r++) {
    const p = grid[r];
    const b = r * LOWER;
    const s =
      rv[r]
      - L[b + 0] * Y[p + o0]
      - L[b + 1] * Y[p + o1]
      - L[b + 2] * Y[p + o2]
      - L[b + 3] * Y[p + o3]
      - L[b + 4] * Y[p + o4]
      - L[b + 5] * Y[p + o5]
      - L[b + 6] * Y[p + o6]
      - L[b + 7] * Y[p + o7]
      - L[b + 8] * Y[p + o8]
      - L[b + 9] * Y[p + o9]
      - L[b + 10] * Y[p + o10]
      - L[b + 11] * Y[p + o11];
    Y[p] = s * invDiag[r];
  }
  for (let r = n - 1; r >= 0; r--) {
    const p = grid[r];
    const zr = Y[p] * invDiag[r];
    z[r] = zr;
    const b = r * LOWER;
    Y[p + o0] -= L[b + 0] * zr;
    Y[p + o1] -= L[b + 1] * zr;
    Y[p + o2] -= L[b + 2] * zr;
    Y[p + o3] -= L[b + 3] * zr;
    Y[p + o4] -= L[b + 4] * zr;
    Y[p + o5] -= L[b + 5] * zr;
    Y[p + o6] -= L[b + 6] * zr;
    Y[p + o7] -= L[b + 7] * zr;
    Y[p + o8] -= L[b + 8] * zr;
    Y[p + o9] -= L[b + 9] * zr;
    Y[p + o10] -= L[b + 10] * zr;
    Y[p + o11] -= L[b + 11] * zr;
  }
}

export function makePreconditioner(id: PreconditionerId, a: StencilSystem): Preconditioner {
  switch (id) {
    case 'none':
      return identityPreconditioner();
    case 'jacobi':
      return jacobiPreconditioner(stencilDiagonal(a));
    case 'ichol':
      return incompleteCholesky(a);
  }
}
