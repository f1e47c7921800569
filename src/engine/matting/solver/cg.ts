import { throwIfAborted } from '../errors';
import type { Preconditioner } from './preconditioner';

export interface CgOptions {
  /** Stop when ||b - Ax|| <= tolerance * max(||b||, referenceFloor * sqrt(n)). */
  tolerance: number;
  /**
   * Smallest ||b|| per sqrt(unknown) the tolerance is measured against (default 0). A system whose
   * boundary is nearly all 0 (a tile of a large photo's band in the background) has ||b|| ~ 0, and
   * a residual relative to that asks for a precision no alpha shows: such tiles ran 250-680
   * iterations where 40 gave the same SAD.
   */
  referenceFloor?: number;
  maxIterations: number;
  /** Called after each iteration with the relative residual. */
  onIteration?: (iteration: number, residual: number) => void;
  signal?: AbortSignal;
  /** Yield to the event loop this often (ms) so an abort from the same thread is seen. */
  yieldEveryMs?: number;
}

export interface CgResult {
  x: Float64Array;
  iterations: number;
  residual: number;
  converged: boolean;
}

// The per-iteration vector loops live in small plain functions, which V8 optimises as a whole after
// a few calls, rather than inside the long-running async pcg (reached only by on-stack replacement).
function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** x += step p, r -= step q; returns |r|^2. */
function stepAndNorm(step: number, p: Float64Array, q: Float64Array, x: Float64Array, r: Float64Array): number {
  let norm = 0;
  for (let i = 0; i < r.length; i++) {
    x[i] += step * p[i];
    const ri = r[i] - step * q[i];
    r[i] = ri;
    norm += ri * ri;
  }
  return norm;
}

/** p = z + beta p. */
function nextDirection(beta: number, z: Float64Array, p: Float64Array): void {
  for (let i = 0; i < p.length; i++) p[i] = z[i] + beta * p[i];
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Preconditioned conjugate gradient for a symmetric positive definite A, starting from x0. */
export async function pcg(
  matvec: (x: Float64Array, y: Float64Array) => void,
  b: Float64Array,
  x0: Float64Array,
  precondition: Preconditioner,
  options: CgOptions,
): Promise<CgResult> {
  const n = b.length;
  const x = x0;
  const r = new Float64Array(n);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  matvec(x, q);
  let bNorm = 0;
  let rNorm = 0;
  for (let i = 0; i < n; i++) {
    r[i] = b[i] - q[i];
    bNorm += b[i] * b[i];
    rNorm += r[i] * r[i];
  }
  // A zero right-hand side (e.g. no foreground anywhere) has the exact answer 0; measure against x0's residual then.
  const reference = Math.max(Math.sqrt(bNorm) || Math.sqrt(rNorm) || 1, (options.referenceFloor ?? 0) * Math.sqrt(n));
  let residual = Math.sqrt(rNorm) / reference;
  if (n === 0 || residual <= options.tolerance) return { x, iterations: 0, residual, converged: true };
  precondition(r, z);
  p.set(z);
  let rz = dot(r, z);
  const yieldEvery = options.yieldEveryMs ?? 50;
  let lastYield = performance.now();
  let iterations = 0;
  while (iterations < options.maxIterations) {
    matvec(p, q);
    const pq = dot(p, q);
    if (!(pq > 0)) break; // breakdown: A not positive definite along p, keep the best x so far
    const step = rz / pq;
    rNorm = stepAndNorm(step, p, q, x, r);
    iterations++;
    residual = Math.sqrt(rNorm) / reference;
    options.onIteration?.(iterations, residual);
    if (residual <= options.tolerance) return { x, iterations, residual, converged: true };
    precondition(r, z);
    const rzNext = dot(r, z);
    const beta = rzNext / rz;
    rz = rzNext;
    nextDirection(beta, z, p);
    if (performance.now() - lastYield > yieldEvery) {
      await yieldToLoop();
      lastYield = performance.now();
    }
    throwIfAborted(options.signal);
  }
  return { x, iterations, residual, converged: residual <= options.tolerance };
}
