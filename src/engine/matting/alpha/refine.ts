import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import { MattingError, throwIfAborted } from '../errors';
import { guidedCoefficientsForBand } from '../filters/guided-band';
import { upsampleWithGuide } from '../filters/guided-filter';
import { type MattingContext, forwardProgress, subProgress } from '../progress';
import { type TileOptions, type TileSolver, refineBandInTiles } from './band-tiles';
import { type MethodParams, type RefinementMethod, type RefinementMethodId, findRefinementMethod } from './registry';
import { downscaleRgb, downscaleTrimap, workingSize } from '../resample';
import { alphaFromTrimap, assertImage, assertTrimap, countTrimap, finishAlpha } from '../validate';

export interface UpsampleOptions {
  /** Guided filter radius at the working resolution. */
  radius: number;
  epsilon: number;
}

// Measured on the 128x128 composite solved at 63x63: radius 1 gave the lowest MSE (0.0307 vs 0.0311 at 2).
export const upsampleDefaults: UpsampleOptions = { radius: 1, epsilon: 1e-5 };

export type RefineOptions = {
  [Id in RefinementMethodId]: {
    method: Id;
    /** Working-resolution cap in megapixels; larger images are solved downscaled and guided-upsampled. */
    maxMegapixels?: number;
    params?: Partial<MethodParams[Id]>;
    upsample?: Partial<UpsampleOptions>;
    /**
     * Above the working resolution, methods that can solve a tile ('closed-form') may solve the
     * unknown band again at full resolution, tile by tile, from the upsampled answer ('tiles'): the
     * edge at 100 % is then the photo's, not an upsampled one. 'upsample' stops before. 'auto' (the
     * default) tiles when the working solve has at most half the photo's linear resolution.
     */
    detail?: 'auto' | 'tiles' | 'upsample';
    tiles?: Partial<TileOptions>;
  };
}[RefinementMethodId];

/** Solves a tile with a method's refineTile elsewhere (a helper thread), on its own copy: resolves to the tile's alpha. */
export type RemoteTileSolver = (method: RefinementMethodId, params: unknown, image: RgbImage, unknown: Uint8Array, alpha: Alpha) => Promise<Alpha>;

export interface RefineContext extends MattingContext {
  /** Solvers beside this thread for the tiles of a large photo (the matting worker's helpers). */
  tileSolvers?: readonly RemoteTileSolver[];
}

/**
 * The detail stage: image + trimap -> alpha at full resolution. Known trimap pixels stay 0/1.
 * Throws MattingError for unusable input (bad sizes, a trimap with no known pixel, an unknown
 * method) and an Error named 'AbortError' when ctx.signal aborts.
 */
export async function refineAlpha(image: RgbImage, trimap: Trimap, options: RefineOptions, given: RefineContext = {}): Promise<Alpha> {
  const ctx: RefineContext = { ...given, ...forwardProgress(given) };
  assertImage(image);
  const { width, height } = image;
  assertTrimap(trimap, width, height);
  throwIfAborted(ctx.signal);
  const method = findRefinementMethod(options?.method) as RefinementMethod | undefined;
  if (!method) throw new MattingError('UNKNOWN_METHOD', `Unknown refinement method ${String(options?.method)}`);
  const counts = countTrimap(trimap);
  if (counts.unknown === 0) return alphaFromTrimap(trimap, 0);
  if (counts.foreground === 0 && counts.background === 0) {
    throw new MattingError('NO_KNOWN_PIXELS', 'The trimap marks every pixel unknown: mark some foreground or background');
  }
  // One-sided trimaps have an exact answer for every method: the only known value.
  if (counts.foreground === 0) return alphaFromTrimap(trimap, 0);
  if (counts.background === 0) return alphaFromTrimap(trimap, 1);

  const params = (options.params ?? {}) as Partial<MethodParams[RefinementMethodId]>;
  const cap = options.maxMegapixels ?? method.maxMegapixels;
  if (!(cap > 0) && cap !== Infinity) throw new MattingError('INVALID_OPTIONS', `maxMegapixels must be > 0, got ${cap}`);
  const low = workingSize(width, height, cap);
  ctx.onProgress?.({ stage: 'start', fraction: 0 });
  if (low.scale === 1) {
    const alpha = finishAlpha(await method.refine(image, trimap, params as never, ctx), trimap);
    ctx.onProgress?.({ stage: 'done', fraction: 1 });
    return alpha;
  }

  ctx.onProgress?.({ stage: 'downscale', fraction: 0 });
  const lowImage = downscaleRgb(image, low.width, low.height);
  const lowTrimap = downscaleTrimap(trimap, width, height, low.width, low.height);
  throwIfAborted(ctx.signal);
  const detail = options.detail ?? 'auto';
  const tiled = detail === 'tiles' || (detail === 'auto' && low.scale <= TILES_FROM_SCALE);
  const refineTile = tiled ? method.refineTile : undefined;
  const helpers = refineTile ? (ctx.tileSolvers ?? []) : [];
  const plan = progressPlan(width * height, low.width * low.height, countTrimap(lowTrimap).unknown, refineTile ? counts.unknown : 0, 1 + helpers.length);
  const lowAlpha = finishAlpha(await method.refine(lowImage, lowTrimap, params as never, subProgress(ctx, plan.low[0], plan.low[1])), lowTrimap);
  throwIfAborted(ctx.signal);
  ctx.onProgress?.({ stage: 'upsample', fraction: plan.low[1] });
  const up = { ...upsampleDefaults, ...options.upsample };
  // Only the band's neighbourhood: known pixels are pinned and read no coefficient (a 1.4 MP composite at the
  // 1 MP cap, band 8 px: 200 -> 50 ms CPU).
  const coefficients = guidedCoefficientsForBand(lowImage, lowAlpha, low.width, low.height, up.radius, up.epsilon, image, trimap);
  const alpha = upsampleWithGuide(coefficients, image, trimap);
  if (refineTile) {
    ctx.onProgress?.({ stage: 'tiles', fraction: plan.tiles[0] });
    const here: TileSolver = (tileImage, unknown, tileAlpha, tileCtx) => refineTile(tileImage, unknown, tileAlpha, params as never, tileCtx);
    const elsewhere = helpers.map((remote): TileSolver => (tileImage, unknown, tileAlpha) => remote(method.id, params, tileImage, unknown, tileAlpha));
    await refineBandInTiles(image, trimap, alpha, [here, ...elsewhere], options.tiles, subProgress(ctx, plan.tiles[0], plan.tiles[1]));
  }
  ctx.onProgress?.({ stage: 'done', fraction: 1 });
  return alpha;
}

// Measured by bench/large-photo.ts on composites with a 3 px edge and 1 px strands: the tiles
// lower SAD against the true alpha by 6 % at 2 MP (scale 0.71), 25 % at 12 MP (0.29) and 20 % at
// 48 MP (0.14) for 1.6x the CPU at 2 MP. Batches of 1-2 MP photos keep the upsampled answer;
// from half the linear resolution down (4 MP at the 1 MP cap) the strands are lost without tiles.
const TILES_FROM_SCALE = 0.5;

// Relative cost of the steps in time on one thread, in units of an unknown pixel of the tiles
// (with their margins, ~5.4 us): a pixel of the image-sized passes (downscale, guided upsampling,
// tile copies), a working-resolution pixel (the working image and trimap made by the downscale,
// the guided coefficients), and an unknown pixel of the working-resolution solve (with its
// half-resolution start). Measured as CPU time per step of a warmed in-thread refineAlpha on
// bench/large-photo.ts's composites at 2, 12 and 48 MP: 5.3 ns per pixel, 0.12-0.15 us per
// working pixel, 6.5-8 us per working unknown. The tiles share their time among the threads that
// solve them.
const COST_PER_PIXEL = 0.001;
const COST_PER_LOW_PIXEL = 0.025;
const COST_PER_LOW_UNKNOWN = 1.3;
const COST_PER_TILE_UNKNOWN = 1;

interface ProgressPlan {
  low: [number, number];
  tiles: [number, number];
}

/** Where each step's progress lies in [0, 1], by its share of the expected time. */
function progressPlan(pixels: number, lowPixels: number, lowUnknown: number, tileUnknown: number, threads: number): ProgressPlan {
  const downscale = pixels * COST_PER_PIXEL + lowPixels * COST_PER_LOW_PIXEL;
  const low = lowUnknown * COST_PER_LOW_UNKNOWN;
  const upsample = pixels * COST_PER_PIXEL + lowPixels * COST_PER_LOW_PIXEL;
  const tiles = (tileUnknown * COST_PER_TILE_UNKNOWN) / threads;
  const total = downscale + low + upsample + tiles;
  const lowFrom = downscale / total;
  const lowTo = lowFrom + low / total;
  return { low: [lowFrom, lowTo], tiles: [lowTo + upsample / total, 1] };
}
