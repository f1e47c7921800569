import type { RgbImage } from '../imaging/raster';
import type { MattingErrorCode } from '../matting/errors';
import type { TrimapOptions } from '../matting/trimap/trimap';

/** Per-image CPU stages the pipeline runs off the caller's thread (see pipeline-pool.ts). */
export type PipelineTask =
  | { type: 'trimap'; prob: Float32Array; width: number; height: number; options: TrimapOptions }
  | { type: 'foreground'; image: RgbImage; alpha: Float32Array };

export type PipelineRequest = PipelineTask & { id: number };

export type PipelineResponse =
  | { id: number; ok: true; result: Float32Array | Uint8Array }
  | { id: number; ok: false; name: string; message: string; code?: MattingErrorCode };
