export { exportImage, writeTrainList, type MatteOutput, type ExportOptions, type ExportedFiles } from './export';
export { checkOutputDir, mirroredName, flatStem, resolveCollision, sourceRoot, ExportError, type CollisionPolicy } from './paths';
