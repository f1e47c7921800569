import type { ProviderSetting } from '../inference/service';
import type { WebcamProcessorOptions } from './processor';
import type { FrameTimings, WebcamProvider } from '../../shared/webcam';

/** Messages between WorkerWebcamEngine and webcam-worker.ts. */
export type ToWebcamWorker =
  | { type: 'init'; provider: ProviderSetting; modelsDir?: string; options?: Partial<WebcamProcessorOptions> }
  | { type: 'frame'; id: number; width: number; height: number; rgba: ArrayBuffer }
  | { type: 'reset' }
  | { type: 'close' };

export type FromWebcamWorker =
  | { type: 'frame'; id: number; ok: true; alpha: ArrayBuffer; rgba: ArrayBuffer; provider: WebcamProvider; timings: Omit<FrameTimings, 'transferMs'> }
  | { type: 'frame'; id: number; ok: false; message: string }
  | { type: 'closed' };
