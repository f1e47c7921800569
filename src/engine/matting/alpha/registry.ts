import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import { type ClosedFormOptions, closedFormAlpha, closedFormDefaults, solveClosedFormSystem } from './alpha-cf';
import { type GuidedOptions, guidedAlpha, guidedDefaults } from './alpha-guided';
import { type KnnOptions, knnAlpha, knnDefaults } from './alpha-knn';
import { type RefinementMethodId, type RefinementMethodInfo, refinementMethodInfo } from './methods';
import type { MattingContext } from '../progress';
import { alphaFromTrimap } from '../validate';

export interface NoneOptions {
  /** Alpha given to unknown pixels (use with SHM fusion of soft T-Net outputs). */
  fill: number;
}

export interface MethodParams {
  'closed-form': ClosedFormOptions;
  knn: KnnOptions;
  guided: GuidedOptions;
  none: NoneOptions;
}

export type { RefinementMethodId } from './methods';

export interface RefinementMethod<Id extends RefinementMethodId = RefinementMethodId> extends RefinementMethodInfo {
  id: Id;
  defaults: MethodParams[Id];
  refine(image: RgbImage, trimap: Trimap, params: Partial<MethodParams[Id]>, ctx: MattingContext): Promise<Alpha>;
  /**
   * Solves one tile of a photo above the working resolution at full resolution, in place (see
   * band-tiles.ts). Methods without it keep the working-resolution answer, guided-upsampled.
   */
  refineTile?(image: RgbImage, unknown: Uint8Array, alpha: Alpha, params: Partial<MethodParams[Id]>, ctx: MattingContext): Promise<void>;
}

type AnyMethod = { [Id in RefinementMethodId]: RefinementMethod<Id> }[RefinementMethodId];

// ||b|| per sqrt(unknown) of the tiles' systems is 0.2-0.35 where the band touches the foreground
// and ~1e-9 where it lies in the background (b is then only the ridge). Chosen by SAD against the
// true alpha (bench/large-photo.ts composites, in-thread): floors 0.01 / 0.02 / 0.03 / 0.05 gave
// SAD 30.49 / 30.50 / 30.53 / 30.54 at 12 MP against 30.48 with none, 234.1 / - / 233.9 / - at
// 48 MP against 234.3, with 2.3x fewer tile iterations (mean 131 -> 33-38) at 48 MP.
const TILE_REFERENCE_FLOOR = 0.02;

// A tile's start is the working solve upsampled 2-7x (closedFormAlpha's full resolution starts from
// 2x), so what is left to fix is larger and SAD follows the tile's tolerance closely: on
// bench/large-photo.ts's composites (in-thread, 512 px cells) 5e-4 / 3e-4 / 2e-4 gave SAD 33.1 /
// 30.6 / 28.9 at 12 MP and 256 / 234 / 221 at 48 MP, for 53 / 95 / 137 M unknown-iterations at
// 48 MP. 3e-4 keeps the tiles' SAD where it was when the whole-image stop was also 3e-4.
const TILE_TOLERANCE = 3e-4;

const closedForm: RefinementMethod<'closed-form'> = {
  ...refinementMethodInfo['closed-form'],
  defaults: closedFormDefaults,
  refine: async (image, trimap, params, ctx) => (await closedFormAlpha(image, trimap, params, ctx)).alpha,
  // A tile starts from the upsampled working-resolution answer, as the full resolution starts from
  // the half-resolution one in closedFormAlpha: it stops at a given refineTolerance, by default at
  // TILE_TOLERANCE, measured against at least TILE_REFERENCE_FLOOR per unknown so a tile without
  // foreground stops too.
  refineTile: async (image, unknown, alpha, params, ctx) => {
    const opts = { ...closedFormDefaults, ...params };
    const tolerance = params.refineTolerance ?? TILE_TOLERANCE;
    await solveClosedFormSystem(image, unknown, alpha, { ...opts, tolerance, referenceFloor: TILE_REFERENCE_FLOOR }, ctx);
  },
};

const knn: RefinementMethod<'knn'> = {
  ...refinementMethodInfo.knn,
  defaults: knnDefaults,
  refine: (image, trimap, params, ctx) => knnAlpha(image, trimap, params, ctx),
};

const guided: RefinementMethod<'guided'> = {
  ...refinementMethodInfo.guided,
  defaults: guidedDefaults,
  refine: async (image, trimap, params) => guidedAlpha(image, trimap, params),
};

const none: RefinementMethod<'none'> = {
  ...refinementMethodInfo.none,
  defaults: { fill: 0.5 },
  refine: async (_image, trimap, params) => alphaFromTrimap(trimap, params.fill ?? 0.5),
};

export const refinementMethods: readonly AnyMethod[] = [closedForm, knn, guided, none];

export { defaultRefinementMethod } from './methods';

export function findRefinementMethod(id: string): AnyMethod | undefined {
  return refinementMethods.find((m) => m.id === id);
}
