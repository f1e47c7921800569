/**
 * The detail stage of Semantic Human Matting: trimaps, closed-form / KNN / guided refinement,
 * SHM fusion, foreground colour estimation, matte metrics, and a worker pool. Pure TypeScript on
 * typed arrays; no Electron.
 */
export type { Alpha, RgbImage, Trimap } from '../imaging/raster';
export { MattingError, type MattingErrorCode, abortError, isAbortError } from './errors';
export { makeTrimap, unknownMask, bandRadiusPx, type TrimapOptions } from './trimap/trimap';
export { dilate, erode, squaredDistanceTo } from './trimap/morphology';
export { buildCfLaplacian, type StencilLaplacian, type CfLaplacianOptions } from './laplacian/laplacian';
export { makePreconditioner, preconditionerIds, incompleteCholesky, jacobiPreconditioner, type Preconditioner, type PreconditionerId } from './solver/preconditioner';
export { pcg, type CgOptions, type CgResult } from './solver/cg';
export { closedFormAlpha, closedFormDefaults, type ClosedFormOptions, type SolveStats } from './alpha/alpha-cf';
export { knnAlpha, knnDefaults, type KnnOptions } from './alpha/alpha-knn';
export { guidedAlpha, guidedDefaults, estimateBandWidth, type GuidedOptions } from './alpha/alpha-guided';
export { guidedFilter, guidedCoefficients, upsampleWithGuide, type GuidedCoefficients, type Planes } from './filters/guided-filter';
export {
  refinementMethods,
  findRefinementMethod,
  defaultRefinementMethod,
  type RefinementMethod,
  type RefinementMethodId,
  type MethodParams,
} from './alpha/registry';
export { refineAlpha, upsampleDefaults, type RefineOptions, type UpsampleOptions } from './alpha/refine';
export { fuseShm, fuseTrimap, shmProbabilitiesFromTrimap } from './alpha/fusion';
export { estimateForeground, foregroundDefaults, type ForegroundOptions } from './foreground/foreground-ml';
export { sad, mse, gradientError, connectivityError, gradientMagnitude, metrics } from './metrics/metrics';
export { MattingPool, type MattingPoolOptions } from './workers/pool';
export type { MattingContext, Progress } from './progress';
export { downscaleRgb, downscaleTrimap, workingSize } from './resample';
