import type { Alpha, RgbImage, Trimap } from '../imaging/raster';
import { type ClosedFormOptions, closedFormAlpha, closedFormDefaults } from './alpha-cf';
import { type GuidedOptions, guidedAlpha, guidedDefaults } from './alpha-guided';
import { type KnnOptions, knnAlpha, knnDefaults } from './alpha-knn';
import type { MattingContext } from './progress';
import { alphaFromTrimap } from './validate';

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

export type RefinementMethodId = keyof MethodParams;

export interface RefinementMethod<Id extends RefinementMethodId = RefinementMethodId> {
  id: Id;
  label: string;
  description: string;
  defaults: MethodParams[Id];
  /** Default working-resolution cap in megapixels (Infinity: always full resolution). */
  maxMegapixels: number;
  refine(image: RgbImage, trimap: Trimap, params: Partial<MethodParams[Id]>, ctx: MattingContext): Promise<Alpha>;
}

type AnyMethod = { [Id in RefinementMethodId]: RefinementMethod<Id> }[RefinementMethodId];

const closedForm: RefinementMethod<'closed-form'> = {
  id: 'closed-form',
  label: 'Closed-form',
  description: 'Levin et al. 2008 matting Laplacian, solved by conjugate gradient with incomplete Cholesky. Best for photos.',
  defaults: closedFormDefaults,
  // Measured (bench/matting.ts, 2 shared cores): 1 MP with a 10 % band in ~1.0-1.4 s (target 1.5 s),
  // so 12 MP goes end to end in ~2 s; a larger cap breaks the 1.5 s budget.
  maxMegapixels: 1,
  refine: async (image, trimap, params, ctx) => (await closedFormAlpha(image, trimap, params, ctx)).alpha,
};

const knn: RefinementMethod<'knn'> = {
  id: 'knn',
  label: 'KNN',
  description: 'Chen, Li, Tang 2012 non-local nearest-neighbour matting; the method SHM used to build its training alphas.',
  defaults: knnDefaults,
  // Measured with a 10 % band: 0.5 MP in ~2 s, 1 MP in ~3.7 s (the neighbour search dominates).
  maxMegapixels: 0.5,
  refine: (image, trimap, params, ctx) => knnAlpha(image, trimap, params, ctx),
};

const guided: RefinementMethod<'guided'> = {
  id: 'guided',
  label: 'Guided filter (fast)',
  description: 'Local colour projection smoothed by a colour guided filter (He et al.), O(N): for video and previews.',
  defaults: guidedDefaults,
  maxMegapixels: Infinity,
  refine: async (image, trimap, params) => guidedAlpha(image, trimap, params),
};

const none: RefinementMethod<'none'> = {
  id: 'none',
  label: 'None',
  description: 'No refinement: the unknown band keeps a constant alpha (for fusing soft T-Net outputs).',
  defaults: { fill: 0.5 },
  maxMegapixels: Infinity,
  refine: async (_image, trimap, params) => alphaFromTrimap(trimap, params.fill ?? 0.5),
};

export const refinementMethods: readonly AnyMethod[] = [closedForm, knn, guided, none];

export const defaultRefinementMethod: RefinementMethodId = 'closed-form';

export function findRefinementMethod(id: string): AnyMethod | undefined {
  return refinementMethods.find((m) => m.id === id);
}
