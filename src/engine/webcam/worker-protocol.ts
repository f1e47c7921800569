import type { ProviderSetting } from '../inference/service';
import type { WebcamProcessorOptions } from './processor';
import type { FrameTimings, PixelFormat, WebcamModelSlot, WebcamProvider } from '../../shared/webcam';
import type { WebcamPair } from './pairs';
import type { PairInputSize } from './pair-stage';

/** Messages between WorkerWebcamEngine and webcam-worker.ts. */
export type ToWebcamWorker =
  | { type: 'init'; provider: ProviderSetting; modelsDir?: string; options?: Partial<WebcamProcessorOptions> }
  | { type: 'frame'; id: number; width: number; height: number; format: PixelFormat; pixels: ArrayBuffer }
  /** Run this trained pair from now on (null: the automatic model). */
  | { type: 'model'; id: number; pair: WebcamPair | null }
  | { type: 'reset' }
  | { type: 'close' };

export type FromWebcamWorker =
  | { type: 'frame'; id: number; ok: true; alpha: ArrayBuffer; pixels: ArrayBuffer; provider: WebcamProvider; model: WebcamModelSlot; timings: Omit<FrameTimings, 'transferMs'> }
  | { type: 'frame'; id: number; ok: false; message: string }
  | { type: 'model'; id: number; ok: true; input: PairInputSize | null }
  | { type: 'model'; id: number; ok: false; message: string }
  | { type: 'closed' };
