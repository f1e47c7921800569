import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import type { MattingErrorCode } from '../errors';
import type { RefineOptions } from '../alpha/refine';
import type { RefinementMethodId } from '../alpha/methods';

export interface WorkerRequest {
  id: number;
  image: RgbImage;
  trimap: Trimap;
  options: RefineOptions;
}

export type WorkerResponse =
  | { type: 'progress'; id: number; fraction: number; stage: string }
  | { type: 'done'; id: number; alpha: Alpha }
  | { type: 'error'; id: number; name: string; message: string; code?: MattingErrorCode };

/** A tile of a large photo, sent by a matting worker to its helper thread (see tile-helpers.ts). */
export interface TileRequest {
  kind: 'tile';
  id: number;
  method: RefinementMethodId;
  params: unknown;
  image: RgbImage;
  unknown: Uint8Array;
  alpha: Alpha;
}

export type TileResponse = { type: 'tile-done'; id: number; alpha: Alpha } | { type: 'error'; id: number; name: string; message: string; code?: MattingErrorCode };
