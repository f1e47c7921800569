import type { ModelManifest, ModelRole } from '../models/manifest.js';
import type { RgbImage } from '../imaging/raster.js';
import type { TrimapProbabilities } from './preprocess.js';
import type { ProviderReport, ProviderSetting } from './providers.js';
import type { SessionTuning } from './session-runner.js';
import type { SemanticOptions, SemanticStage } from '../semantic/index.js';
import type { Detection } from '../semantic/detector.js';

/** A model the caller has found and validated: the worker loads no registry code (zod, protobufjs). */
export interface ResolvedModel {
  manifest: ModelManifest;
  onnxPath: string;
}

export type WorkerRequest =
  | { id: number; type: 'init'; provider: ProviderSetting; tuning?: SessionTuning }
  | { id: number; type: 'run'; model: ResolvedModel; roles: ModelRole[]; image: RgbImage; trimap?: TrimapProbabilities }
  | { id: number; type: 'open'; model: ResolvedModel }
  | { id: number; type: 'detect'; model: ResolvedModel; image: RgbImage }
  | { id: number; type: 'semantic'; model: ResolvedModel; image: RgbImage; options: SemanticOptions; detector?: ResolvedModel }
  | { id: number; type: 'close' };

export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  problems?: string[];
}

export type WorkerResponse =
  | { id: number; ok: true; type: 'init'; report: ProviderReport }
  | { id: number; ok: true; type: 'run'; planes: Float32Array[]; role: ModelRole; classes?: string[]; runMs: number; ms: number }
  | { id: number; ok: true; type: 'open' }
  | { id: number; ok: true; type: 'detect'; faces: Detection[]; ms: number }
  | { id: number; ok: true; type: 'semantic'; stage: SemanticStage; ms: number }
  | { id: number; ok: true; type: 'close' }
  | { id: number; ok: false; error: SerializedError };
