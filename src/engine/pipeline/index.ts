export { matteImage, CLASSICAL_METHODS } from './matte';
export { createDefaultEngine, isClassicalMethod, type DefaultEngineOptions } from './engine';
export { matteProjectImage, ensureAutoTrimap, autoTrimapKey, alphaCacheSettings, readCutout, type ProjectMatte, type ProjectMatteOptions } from './project-matte';
export { matteJobHandler, exportJobHandler, MatteJobParams, ExportJobParams } from './project-jobs';
export type { PipelineEngine, MatteRequest, MatteResult, StageTimings, RefineHints } from './types';
