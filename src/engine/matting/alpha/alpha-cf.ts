import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import { guidedAlpha } from './alpha-guided';
import { type CgOptions, pcg } from '../solver/cg';
import { coarseStart } from './coarse-start';
import { throwIfAborted } from '../errors';
import { type StencilLaplacian, buildCfLaplacian } from '../laplacian/laplacian';
import { type PreconditionerId, makePreconditioner } from '../solver/preconditioner';
import { type MattingContext, residualFraction, subProgress } from '../progress';
import { makeStencilMatvec, restrictToUnknown } from '../laplacian/stencil-system';
import { alphaFromTrimap, finishAlpha, isKnown } from '../validate';

export interface ClosedFormOptions {
  /** Window covariance regularisation (Levin et al.'s epsilon). */
  epsilon: number;
  preconditioner: PreconditionerId;
  /** Relative residual at which a solve from a constant or guided start stops. */
  tolerance: number;
  maxIterations: number;
  /**
   * Starting guess for the unknown pixels: a constant 0.5, the fast guided estimate, or 'coarse':
   * the closed-form answer at half resolution (solved from 0.5 to `coarseTolerance`), carried up
   * by the guided filter, after which the full resolution stops at `refineTolerance`.
   */
  initial: 'half' | 'guided' | 'coarse';
  /** Coarse start: relative residual of the half-resolution solve. */
  coarseTolerance: number;
  /** Coarse start: relative residual at which the full-resolution solve from it stops. */
  refineTolerance: number;
  /** Coarse start only for systems of at least this many unknowns; smaller ones start from 0.5. */
  coarseMinUnknown: number;
}

export const closedFormDefaults: ClosedFormOptions = {
  epsilon: 1e-6,
  preconditioner: 'ichol',
  tolerance: 1e-4,
  maxIterations: 2000,
  // Measured by bench/solver-compare.ts (15 composites of 1-2 MP, 2 shared cores): the coarse
  // start takes the full-resolution solve from 86-263 iterations to 20-50, ~2.5x less CPU. The
  // stopping points were chosen by SAD against the true alpha, not by residual alone: CG stopped
  // early from 0.5 acts as a regulariser (solving to 1e-7 made SAD 4-25 % worse). A coarse solve to
  // 1e-3 was 20 % faster but up to 9 % worse than the 0.5 start on some inputs; 2e-3 is at most
  // 2 % worse on any of the 15, 24 % better on average (the veiled ones gain most).
  // Retuned the same way against the converged answer and the true alpha (/tmp sweeps, 15
  // composites): coarse 2e-3 / full 3e-4 -> 5e-3 / 5e-4 takes the iteration work (full-resolution
  // iterations + a quarter of the half-resolution ones, times unknowns) 16 % down, mean SAD 9.12 ->
  // 9.00; per input between 7 % better and 6 % worse. Stopping later is not better: at 1e-5 the mean
  // SAD is 15.2 on 8 of them (the exact closed-form answer smears the veils). 3e-3 / 5e-4 saved 34 %
  // but was up to 18 % worse on some inputs.
  // The error against the true alpha comes from stopping early, so a start or a preconditioner that
  // converges further in fewer iterations costs SAD (15 composites): coarse 2e-3 / full 7e-4 did 43 %
  // of the iteration work, refineAlpha CPU 0.60 -> 0.41 s, but SAD 9.47 (two inputs 8 % worse); a
  // 1/2.5 or 1/3 resolution start 89 % / ~70 % of the work, SAD 9.08 / 9.34; a guided-filter
  // upsampling of the coarse answer one iteration less for more than it saved; pulling the unknowns
  // toward the coarse answer (a ridge of 1e-5 to 1e-2 of the diagonal) SAD 9.26-10.8.
  // Epsilon 1e-6 (was 1e-7, Levin et al.'s and PyMatting's) with the full resolution stopped at 6e-4
  // (was 5e-4): full-resolution iterations 28.8 -> 25.3 on average, CPU through refineAlpha 0.60 ->
  // 0.55 s per image (REPEATS=2, load 5-6), mean SAD 9.00 -> 8.94, per input 5 % worse to 4 % better;
  // on the three dev portraits (trimaps from their reference alphas, bands 6 and 12 px) SAD 29.0 ->
  // 28.3 in all. Epsilon 1e-6 alone: 8.86 for the same work; 1e-5: 10.2; 1e-6 with 7e-4: 9.16.
  initial: 'coarse',
  coarseTolerance: 5e-3,
  refineTolerance: 6e-4,
  coarseMinUnknown: 20000,
};

export interface SolveStats {
  unknown: number;
  buildMs: number;
  preconditionMs: number;
  /** Time of the half-resolution solve and its upsampling (0 without a coarse start). */
  coarseMs: number;
  /** Iterations of the half-resolution solve (0 without a coarse start). */
  coarseIterations: number;
  solveMs: number;
  iterations: number;
  residual: number;
  converged: boolean;
}

/** Closed-form matting: L_uu alpha_u = -L_uk alpha_k on the unknown pixels, by preconditioned CG. */
export async function closedFormAlpha(
  image: RgbImage,
  trimap: Trimap,
  options: Partial<ClosedFormOptions> = {},
  ctx: MattingContext = {},
): Promise<{ alpha: Alpha; stats: SolveStats }> {
  const opts = { ...closedFormDefaults, ...options };
  const { width, height } = image;
  const unknown = new Uint8Array(width * height);
  let unknownCount = 0;
  for (let i = 0; i < unknown.length; i++) unknownCount += unknown[i] = isKnown(trimap[i]) ? 0 : 1;
  const known = alphaFromTrimap(trimap, 0.5);
  const coarse = opts.initial === 'coarse' && unknownCount >= opts.coarseMinUnknown;
  const solveCtx = coarse ? subProgress(ctx, 0.3, 1) : ctx;

  // The coarse solve runs before the full-resolution system exists, so the two are never in memory together.
  const t = performance.now();
  let guess: Alpha | undefined;
  let coarseIterations = 0;
  if (coarse) {
    guess = await coarseStart(image, trimap, async (lowImage, lowTrimap) => {
      const low = await closedFormAlpha(lowImage, lowTrimap, { ...opts, initial: 'half', tolerance: opts.coarseTolerance }, subProgress(ctx, 0, 0.3));
      coarseIterations = low.stats.iterations;
      return low.alpha;
    });
  } else if (opts.initial === 'guided') {
    guess = guidedAlpha(image, trimap);
  }
  const coarseMs = coarse ? performance.now() - t : 0;
  throwIfAborted(ctx.signal);

  // The known pixels hold their 0/1, the unknown ones the start (0.5 or the guess); solved in place.
  const alpha = known;
  if (guess) for (let i = 0; i < alpha.length; i++) if (unknown[i]) alpha[i] = guess[i];
  const tolerance = coarse ? opts.refineTolerance : opts.tolerance;
  const system = await solveClosedFormSystem(image, unknown, alpha, { ...opts, tolerance }, solveCtx);
  finishAlpha(alpha, trimap);
  ctx.onProgress?.({ stage: 'solve', fraction: 1 });
  return {
    alpha,
    stats: { ...system, coarseMs, coarseIterations },
  };
}

function restrictBuilt(laplacian: StencilLaplacian, alpha: Alpha): ReturnType<typeof restrictToUnknown> & { pixels: Int32Array } {
  return { ...restrictToUnknown(laplacian, alpha, 1e-9, 0.5), pixels: laplacian.pixels };
}

export type SystemOptions = Pick<ClosedFormOptions, 'epsilon' | 'preconditioner' | 'tolerance' | 'maxIterations'> & Pick<CgOptions, 'referenceFloor'>;
export type SystemStats = Omit<SolveStats, 'coarseMs' | 'coarseIterations'>;

/**
 * The closed-form system L_uu alpha_u = -L_uk alpha_k on the pixels `unknown` marks. `alpha` gives
 * every other pixel's value (0/1 from a trimap, or any boundary value: the tiles of a large photo
 * hold their edge at the current estimate) and each unknown pixel's start; the answer is written
 * into it, unclamped.
 */
export async function solveClosedFormSystem(
  image: RgbImage,
  unknown: Uint8Array,
  alpha: Alpha,
  opts: SystemOptions,
  ctx: MattingContext = {},
): Promise<SystemStats> {
  ctx.onProgress?.({ stage: 'laplacian', fraction: 0 });
  let t = performance.now();
  // Only the pixel list is kept: the Laplacian's Float64 values (200 B per unknown) are garbage once
  // restricted to the system's Float32 copy, instead of staying alive through CG.
  const { system, rhs, pixels } = restrictBuilt(buildCfLaplacian(image, unknown, { epsilon: opts.epsilon }), alpha);
  const buildMs = performance.now() - t;
  throwIfAborted(ctx.signal);

  t = performance.now();
  const precondition = makePreconditioner(opts.preconditioner, system);
  const preconditionMs = performance.now() - t;
  throwIfAborted(ctx.signal);

  t = performance.now();
  const x0 = new Float64Array(system.n);
  for (let r = 0; r < x0.length; r++) x0[r] = alpha[pixels[r]];
  let first = 0;
  const result = await pcg(makeStencilMatvec(system), rhs, x0, precondition, {
    tolerance: opts.tolerance,
    maxIterations: opts.maxIterations,
    referenceFloor: opts.referenceFloor,
    signal: ctx.signal,
    onIteration: ctx.onProgress
      ? (it, res) => {
          if (it === 1) first = res;
          if (it % 8 === 0) ctx.onProgress?.({ stage: 'solve', fraction: residualFraction(first, res, opts.tolerance) });
        }
      : undefined,
  });
  const solveMs = performance.now() - t;
  for (let r = 0; r < pixels.length; r++) alpha[pixels[r]] = result.x[r];
  return {
    unknown: pixels.length,
    buildMs,
    preconditionMs,
    solveMs,
    iterations: result.iterations,
    residual: result.residual,
    converged: result.converged,
  };
}
