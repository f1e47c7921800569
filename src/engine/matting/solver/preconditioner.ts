import { STENCIL, STENCIL_CENTER, STENCIL_DX, STENCIL_DY } from '../laplacian/laplacian';
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

// Lower half of the stencil in raster order: indices 0..11. For lower entry k (column c = p+off_k)
// and lower entry m of row p, the product l_pm * l_cm' counts toward l_pc when off_m = off_k + off_m'
// with m' lower in c's stencil.
const LOWER = STENCIL_CENTER;
const PAIRS: Int8Array[] = [];
for (let k = 0; k < LOWER; k++) {
  const list: number[] = [];
  for (let m = 0; m < LOWER; m++) {
    const dx = STENCIL_DX[m] - STENCIL_DX[k];
    const dy = STENCIL_DY[m] - STENCIL_DY[k];
    if (Math.abs(dx) > 2 || Math.abs(dy) > 2) continue;
    const mp = (dy + 2) * 5 + dx + 2;
    if (mp < LOWER) list.push(m, mp);
  }
  PAIRS.push(Int8Array.from(list));
}

/**
 * Zero fill-in incomplete Cholesky, A ~ L L^T, on the stencil pattern in raster order. The matting
 * Laplacian is not an M-matrix, so IC(0) can meet a non-positive pivot: then the diagonal is
 * shifted (Manteuffel) and the factorisation restarted.
 */
export function incompleteCholesky(a: StencilSystem): Preconditioner {
  const { n, cols, values } = a;
  const lower = new Float64Array(n * LOWER);
  const diag = new Float64Array(n);
  let shift = 0;
  let factored = false;
  for (let attempt = 0; attempt < 30 && !factored; attempt++) {
    factored = factor(shift);
    shift = shift === 0 ? 1e-3 : shift * 2;
  }
  // A diagonal shifted 2^28-fold is never needed in practice; fall back rather than return junk.
  if (!factored) return jacobiPreconditioner(stencilDiagonal(a));

  function factor(alpha: number): boolean {
    for (let r = 0; r < n; r++) {
      const base = r * STENCIL;
      let d = values[base + STENCIL_CENTER] * (1 + alpha);
      for (let k = 0; k < LOWER; k++) {
        const c = cols[base + k];
        if (c < 0) {
          lower[r * LOWER + k] = 0;
          continue;
        }
        let s = values[base + k];
        const pairs = PAIRS[k];
        for (let t = 0; t < pairs.length; t += 2) {
          const m = pairs[t];
          s -= lower[r * LOWER + m] * lower[c * LOWER + pairs[t + 1]];
        }
        const l = s / diag[c];
        lower[r * LOWER + k] = l;
        d -= l * l;
      }
      if (!(d > 1e-12 * Math.max(1e-300, values[base + STENCIL_CENTER]))) return false;
      diag[r] = Math.sqrt(d);
    }
    return true;
  }

  const Y = new Float64Array(a.gridSize);
  return (rv, z) => triangularSolves(n, lower, diag, a.grid, a.offsets, Y, rv, z);
}

/**
 * z = (L L^T)^-1 r in the zero-padded pixel grid: entries to known pixels are 0 in L, so the grid
 * stays 0 there and every neighbour is a constant offset. Written out and closure-free for the
 * same reasons as the stencil product.
 */
function triangularSolves(
  n: number,
  L: Float64Array,
  diag: Float64Array,
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
    Y[p] = s / diag[r];
  }
  for (let r = n - 1; r >= 0; r--) {
    const p = grid[r];
    const zr = Y[p] / diag[r];
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
