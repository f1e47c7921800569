import { describe, expect, it } from 'vitest';
import { buildCfLaplacian, incompleteCholesky } from '../../../src/engine/matting';
import { STENCIL } from '../../../src/engine/matting/laplacian/laplacian';
import { makeStencilMatvec, restrictToUnknown, type StencilSystem } from '../../../src/engine/matting/laplacian/stencil-system';
import { pcg } from '../../../src/engine/matting/solver/cg';
import { alphaFromTrimap, isKnown } from '../../../src/engine/matting/validate';
import { makeComposite } from './composites';

// The pieces of the closed-form solve that were made cheaper for issue 15, each against a plain
// dense Float64 reference on a system small enough to write out.

function system(size: number, band: number): { a: StencilSystem; rhs: Float64Array; laplacianValues: Float64Array } {
  const c = makeComposite(size, size, band, { veil: true });
  const unknown = Uint8Array.from(c.trimap, (t) => (isKnown(t) ? 0 : 1));
  const laplacian = buildCfLaplacian(c.image, unknown);
  const { system: a, rhs } = restrictToUnknown(laplacian, alphaFromTrimap(c.trimap, 0.5), 1e-9, 0.5);
  return { a, rhs, laplacianValues: laplacian.values };
}

/** A written out densely from the stencil (values given separately, so Float32 or Float64). */
function dense(a: StencilSystem, values: ArrayLike<number>, ridge = 0): Float64Array {
  const { n, cols } = a;
  const m = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < STENCIL; k++) {
      const c = cols[r * STENCIL + k];
      if (c >= 0) m[r * n + c] = values[r * STENCIL + k];
    }
    m[r * n + r] += ridge;
  }
  return m;
}

/**
 * Textbook IC(0): L L^T ~ A with L nonzero only where A is (row by row, Float64). At a non-positive
 * pivot the diagonal is scaled by 1 + shift, shift = 1e-3, 2e-3, 4e-3, ... (Manteuffel), as the solver does.
 */
function denseIncompleteCholesky(m: Float64Array, n: number): { l: Float64Array; shift: number } {
  const l = new Float64Array(n * n);
  for (let shift = 0; ; shift = shift === 0 ? 1e-3 : shift * 2) {
    l.fill(0);
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      for (let j = 0; j <= i; j++) {
        if (m[i * n + j] === 0 && i !== j) continue;
        let s = i === j ? m[i * n + i] * (1 + shift) : m[i * n + j];
        for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
        if (i !== j) l[i * n + j] = s / l[j * n + j];
        else if (s > 1e-12 * m[i * n + i]) l[i * n + i] = Math.sqrt(s);
        else ok = false;
      }
    }
    if (ok) return { l, shift };
  }
}

function denseCholeskySolve(m: Float64Array, n: number, b: Float64Array): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = i === j ? Math.sqrt(s) : s / l[j * n + j];
    }
  }
  return triangular(l, n, b);
}

/** (L L^T)^-1 b. */
function triangular(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

describe('closed-form solver kernels', () => {
  it('builds an exactly symmetric Laplacian: each window pair is computed once for both rows', () => {
    const c = makeComposite(40, 40, 3, { veil: true });
    const L = buildCfLaplacian(c.image, new Uint8Array(40 * 40).fill(1));
    // Row r is pixel r here; entry k of row p pairs with entry 24 - k of its neighbour's row.
    let asymmetric = 0;
    for (let p = 0; p < L.pixels.length; p++) {
      for (let k = 0; k < STENCIL; k++) {
        const dx = (k % 5) - 2;
        const dy = Math.floor(k / 5) - 2;
        const x = (p % 40) + dx;
        const y = Math.floor(p / 40) + dy;
        if (x < 0 || y < 0 || x >= 40 || y >= 40) continue;
        if (L.values[p * STENCIL + k] !== L.values[(y * 40 + x) * STENCIL + (STENCIL - 1 - k)]) asymmetric++;
      }
    }
    expect(asymmetric).toBe(0);
  });

  it('stores the restricted system in Float32, and its answer is within 1e-5 of a Float64 direct solve', async () => {
    const { a, rhs, laplacianValues } = system(24, 3);
    expect(a.values).toBeInstanceOf(Float32Array);
    expect(a.n).toBeGreaterThan(150);
    const exact = denseCholeskySolve(dense(a, laplacianValues, 1e-9), a.n, rhs);
    const { x, converged } = await pcg(makeStencilMatvec(a), rhs, new Float64Array(a.n).fill(0.5), incompleteCholesky(a), { tolerance: 1e-10, maxIterations: 2000 });
    expect(converged).toBe(true);
    expect(maxAbs(x, exact)).toBeLessThan(1e-5);
  });

  it('applies the same IC(0) preconditioner as the textbook dense factorisation (to Float32 rounding)', () => {
    const { a } = system(24, 3);
    const precondition = incompleteCholesky(a);
    const { l: reference } = denseIncompleteCholesky(dense(a, a.values), a.n);
    for (const seed of [1, 2, 3]) {
      const r = Float64Array.from({ length: a.n }, (_, i) => Math.sin(i * 1.3 * seed) + 0.2 * seed);
      const z = new Float64Array(a.n);
      precondition(r, z);
      const want = triangular(reference, a.n, r);
      let scale = 0;
      for (const v of want) scale = Math.max(scale, Math.abs(v));
      expect(maxAbs(z, want) / scale).toBeLessThan(1e-5);
    }
  });
});
