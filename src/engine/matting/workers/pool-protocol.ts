import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import type { MattingErrorCode } from '../errors';
import type { RefineOptions } from '../alpha/refine';
import type { RefinementMethodId } from '../alpha/methods';
import type { WarmUpReport } from './warm-up';
import type { WARM_UP_ID } from '../../workers/worker-pool';

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

/**
 * Sent by the pool to a thread it starts ahead of a batch, before any job (see warm-up.ts). The
 * thread answers once, with WARM_UP_ID, which no job has.
 */
export interface WarmUpRequest {
  kind: 'warm-up';
  id: typeof WARM_UP_ID;
  method: RefinementMethodId;
}

export interface WarmUpResponse {
  type: 'warmed';
  id: typeof WARM_UP_ID;
  report: WarmUpReport;
}
