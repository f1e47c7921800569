import type { RgbImage } from '../imaging/raster';
import type { MattingErrorCode } from '../matting/errors';
import type { TrimapOptions } from '../matting/trimap/trimap';

/** Per-image CPU stages the pipeline runs off the caller's thread (see pipeline-pool.ts). */
export type PipelineTask =
  | { type: 'trimap'; prob: Float32Array; width: number; height: number; options: TrimapOptions }
  | { type: 'foreground'; image: RgbImage; alpha: Float32Array };

export type PipelineRequest = PipelineTask & { id: number };

/** Sent once to a prestarted thread before any job (see pipeline-worker.ts warmUpForeground). */
export interface PipelineWarmUpRequest {
  type: 'warm-up';
  id: number;
}

/** What a warm-up did: foreground estimates run and their largest error against the composite's true colours. */
export interface PipelineWarmUpReport {
  estimates: number;
  /** Largest 8-bit difference from the true foreground where alpha > 0.5 (a real estimate, not a stub). */
  maxError: number;
  ms: number;
}

export interface PipelineWarmUpResponse {
  id: number;
  ok: true;
  report: PipelineWarmUpReport;
}

export type PipelineResponse =
  | { id: number; ok: true; result: Float32Array | Uint8Array }
  | { id: number; ok: false; name: string; message: string; code?: MattingErrorCode };
