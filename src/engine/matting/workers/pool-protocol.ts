import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import type { MattingErrorCode } from '../errors';
import type { RefineOptions } from '../alpha/refine';

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
