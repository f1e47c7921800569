import type { RgbImage } from '../imaging/raster';
import type { TrimapProbabilities } from '../inference/preprocess';

/**
 * The stages the pipeline needs from the models and matting engines. The default engine
 * (engine.ts) wires them to InferenceService and src/engine/matting; tests pass their own.
 */
export interface PipelineEngine {
  /**
   * Foreground probability (width*height, 0..1) from a semantic model. A trimap-role model (an SHM
   * T-Net) also gives its class probabilities: the pipeline then takes the paper's path.
   */
  segment(modelId: string, image: RgbImage, signal?: AbortSignal): Promise<{ prob: Float32Array; provider: string; trimap?: TrimapProbabilities }>;
  /** Trimap (0/128/255) from a probability map; with the image, the band can follow its edges. */
  makeTrimap(prob: Float32Array, width: number, height: number, image?: RgbImage): Uint8Array | Promise<Uint8Array>;
  /** Alpha (0..1) for the unknown region of `trimap`, by a refinement method or a matting model id. */
  refine(method: string, image: RgbImage, trimap: Uint8Array, hints: RefineHints): Promise<RefineResult>;
  /** Decontaminated straight foreground colours (interleaved RGB). */
  estimateForeground(image: RgbImage, alpha: Float32Array, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * What, besides the model and the method, shapes this engine's results: the automatic
   * trimap's settings and the refinement's. Caches key on them, so a changed setting is never
   * answered from a result made under the old one.
   */
  readonly settingsKey?: { trimap: string; refine: Record<string, number | string | boolean | null> };
  /**
   * Gets ready for a batch in the background: model sessions and worker threads a run of
   * `images` images with this plan will use start now, side by side, instead of one after
   * another behind the first image. Never throws; a failure shows on the call that needs the part.
   */
  warmUp?(plan: WarmUpPlan): void;
  close?(): Promise<void>;
}

export interface WarmUpPlan {
  /** Images the batch holds (no more threads are started than it can use). */
  images: number;
  /** Semantic model for automatic trimaps; absent when every trimap is given. */
  modelId?: string;
  /** The refinement: a classical method or a matting model id. */
  refine: string;
  /** Whether foreground colours will be estimated. */
  decontaminate: boolean;
}

export interface RefineHints {
  signal?: AbortSignal;
  /** How far the refinement is, 0..1 (the classical solvers report as they iterate). */
  onProgress?(fraction: number): void;
  /** The semantic probability when this run computed it ('none' uses it inside the unknown band). */
  prob?: Float32Array;
  /**
   * The T-Net's soft probabilities when the trimap is its unedited argmax: a matting model then gets
   * them as its trimap channels and the result is the paper's fusion alpha = Fs + Us * alpha_r.
   */
  trimapProbabilities?: TrimapProbabilities;
}

export interface RefineResult {
  alpha: Float32Array;
  provider?: string;
  /** The alpha is the SHM fusion of soft probabilities: known pixels are not pinned to the hard trimap. */
  fused?: boolean;
}

export interface StageTimings {
  decode?: number;
  segment?: number;
  trimap?: number;
  refine?: number;
  foreground?: number;
  encode?: number;
}

export interface MatteRequest {
  image: RgbImage;
  /** A whole trimap that replaces the automatic one (CLI --trimaps); any 8-bit values, normalised. */
  trimap?: Uint8Array;
  /** 'closed-form' | 'knn' | 'guided' | 'none' | a matting model id. */
  refine: string;
  /** Semantic model for the automatic trimap. */
  modelId: string;
  /** Estimate foreground colours (default true). */
  decontaminate?: boolean;
  signal?: AbortSignal;
  /** How far this image is, 0..1: the refinement is most of it. */
  onProgress?(fraction: number): void;
}

export interface MatteResult {
  width: number;
  height: number;
  rgb: Uint8Array;
  /** 0..255 straight alpha. */
  alpha: Uint8Array;
  trimap: Uint8Array;
  /** The automatic trimap when this run computed it (the project stores it). */
  autoTrimap?: Uint8Array;
  foreground?: Uint8Array;
  provider?: string;
  timings: StageTimings;
}
