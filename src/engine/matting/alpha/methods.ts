/**
 * The classical refinement methods: ids, labels and working-resolution caps, without the solvers
 * (registry.ts attaches them), so the contract's menus, settings and the pipeline's dispatch read
 * one list without loading any solver code.
 */
export const refinementMethodIds = ['closed-form', 'knn', 'guided', 'none'] as const;
export type RefinementMethodId = (typeof refinementMethodIds)[number];

export const defaultRefinementMethod: RefinementMethodId = 'closed-form';

export interface RefinementMethodInfo {
  id: RefinementMethodId;
  label: string;
  description: string;
  /** Default working-resolution cap in megapixels (Infinity: always full resolution). */
  maxMegapixels: number;
}

export const refinementMethodInfo: { readonly [Id in RefinementMethodId]: RefinementMethodInfo & { id: Id } } = {
  'closed-form': {
    id: 'closed-form',
    label: 'Closed-form',
    description:
      'Levin et al. 2008 matting Laplacian, solved by conjugate gradient with incomplete Cholesky from a half-resolution start; photos from 4 MP up get their edge solved again at full resolution, in tiles. Best for photos.',
    // Solved at 1 MP at most: larger photos are solved downscaled and guided-upsampled, and from
    // 4 MP (half the linear resolution) their unknown band is solved again at full resolution in
    // tiles (alpha/band-tiles.ts). With the half-resolution start (issue 15), `npm run
    // bench:solver` on a quiet 2-core machine gives 0.91 CPU s per 1-2 MP composite through this
    // cap (2.2 images/s with both cores).
    maxMegapixels: 1,
  },
  knn: {
    id: 'knn',
    label: 'KNN',
    description: 'Chen, Li, Tang 2012 non-local nearest-neighbour matting; the method SHM used to build its training alphas.',
    // Measured with a 10 % band: 0.5 MP in ~2 s, 1 MP in ~3.7 s (the neighbour search dominates).
    maxMegapixels: 0.5,
  },
  guided: {
    id: 'guided',
    label: 'Guided filter (fast)',
    description: 'Local colour projection smoothed by a colour guided filter (He et al.), O(N): for video and previews.',
    maxMegapixels: Infinity,
  },
  none: {
    id: 'none',
    label: 'None',
    description: 'No refinement: the unknown band keeps a constant alpha (for fusing soft T-Net outputs).',
    maxMegapixels: Infinity,
  },
};
