import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import { isAbortError, throwIfAborted } from '../errors';
import { refineAlpha, type RefineOptions } from '../alpha/refine';
import type { RefinementMethodId } from '../alpha/methods';
import { TRIMAP_BG, TRIMAP_FG, TRIMAP_UNKNOWN } from '../../../shared/strokes';

/**
 * A fresh worker thread runs its first refinement in V8's interpreter and baseline code until the
 * hot loops are optimised: on the bench's 1 MP photo a cold closed-form refinement took 808 ms,
 * a warm one 449 ms. A batch's first image waits for that, so a prestarted thread first solves a
 * few small synthetic photos through the same code (downscale, half-resolution start, Laplacian,
 * IC(0), CG, guided upsampling) while the first photo is still being segmented. Optimised code gives the same floating-point results, so nothing a user
 * gets changes.
 */
export interface WarmUpReport {
  /** Synthetic refinements finished. */
  solves: number;
  /** Unknown pixels of the trimaps solved. */
  unknownPixels: number;
  /** Largest difference between a solved alpha and the composite's true alpha (a real solve, not a stub). */
  maxAlphaError: number;
  /** Wall time of the warm-up on its thread (ms). */
  ms: number;
  /** Whether a real job arrived first and the warm-up stopped early. */
  stopped: boolean;
  /** Why it failed, if it did: the thread serves jobs all the same. */
  error?: string;
}

export interface WarmUpComposite {
  image: RgbImage;
  trimap: Trimap;
  /** The alpha the composite was made with. */
  alpha: Alpha;
  /** The foreground colours it was made with (RGB bytes). */
  foreground: Uint8Array;
}

/**
 * A textured disc over a textured background, `side` pixels square, with a soft edge inside a
 * band of unknown pixels: I = aF + (1 - a)B with a known a.
 */
export function warmUpComposite(side: number, seed = 0): WarmUpComposite {
  const n = side * side;
  const data = new Uint8Array(n * 3);
  const foreground = new Uint8Array(n * 3);
  const alpha = new Float32Array(n);
  const trimap = new Uint8Array(n);
  const c = side / 2;
  const radius = side * 0.32;
  const soft = Math.max(2, side * 0.04);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = y * side + x;
      const d = Math.hypot(x + 0.5 - c, y + 0.5 - c) - radius;
      const a = Math.min(1, Math.max(0, 0.5 - d / soft));
      alpha[i] = a;
      trimap[i] = d < -2 * soft ? TRIMAP_FG : d > 2 * soft ? TRIMAP_BG : TRIMAP_UNKNOWN;
      const grain = ((x * 13 + y * 7 + seed * 5) % 17) - 8;
      const fg = [190 + grain, 90 - grain, 60 + seed * 9];
      const bg = [40 - grain, 140 + grain, 210 - seed * 7];
      for (let k = 0; k < 3; k++) {
        data[i * 3 + k] = Math.round(a * fg[k] + (1 - a) * bg[k]);
        foreground[i * 3 + k] = fg[k];
      }
    }
  }
  return { image: { width: side, height: side, data }, trimap, alpha, foreground };
}

// Measured on the bench's 1 MP photo and its automatic trimap, CPU of the first three refinements
// on a fresh thread (3 alternating runs, load 3.5-4.3): cold 1148-1179, 1013-1080, 584-763 ms;
// after these two solves (about 200 ms) 808-967, 632-807, 557-632 ms. Three 96 px or one 160 px
// solve saved less on the first refinement.
const REFINE_SIDES = [128, 128];
/** Working-resolution cap of the warm-up solves: below the composites, so the guided upsampling runs too. */
const WORKING_MEGAPIXELS = 0.005;

/**
 * Refines the warm-up composites with `method` until done or until `signal` aborts (a real job
 * came: it goes first). Never rejects: a failure is reported, and the thread's jobs run as they
 * would have.
 */
export async function warmUpRefine(method: RefinementMethodId, signal: AbortSignal): Promise<WarmUpReport> {
  const t0 = performance.now();
  const report: WarmUpReport = { solves: 0, unknownPixels: 0, maxAlphaError: 0, ms: 0, stopped: false };
  // The half-resolution start, which a photo's band of 20 000 unknown pixels and more gets, runs here too.
  const options = (method === 'closed-form' ? { method, maxMegapixels: WORKING_MEGAPIXELS, params: { coarseMinUnknown: 1 } } : { method, maxMegapixels: WORKING_MEGAPIXELS }) as RefineOptions;
  try {
    for (const [seed, side] of REFINE_SIDES.entries()) {
      // A job that came meanwhile is seen here (a small solve rarely reaches CG's own yield).
      await new Promise((resolve) => setImmediate(resolve));
      throwIfAborted(signal);
      const composite = warmUpComposite(side, seed);
      const alpha = await refineAlpha(composite.image, composite.trimap, options, { signal });
      record(report, composite, alpha);
    }
  } catch (err) {
    if (isAbortError(err)) report.stopped = true;
    else report.error = err instanceof Error ? err.message : String(err);
  }
  report.ms = performance.now() - t0;
  return report;
}

function record(report: WarmUpReport, composite: WarmUpComposite, alpha: Alpha): void {
  report.solves++;
  report.unknownPixels += countUnknown(composite.trimap);
  for (let i = 0; i < alpha.length; i++) report.maxAlphaError = Math.max(report.maxAlphaError, Math.abs(alpha[i] - composite.alpha[i]));
}

function countUnknown(trimap: Trimap): number {
  let n = 0;
  for (const t of trimap) if (t === TRIMAP_UNKNOWN) n++;
  return n;
}
