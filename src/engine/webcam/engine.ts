import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn';
import type { ProviderSetting } from '../inference/service';
import type { FrameTimings, PixelFormat, WebcamModelSlot, WebcamProvider } from '../../shared/webcam';
import type { WebcamProcessorOptions } from './processor';
import { PendingReplies } from '../../shared/pending-replies';
import type { FromWebcamWorker, ToWebcamWorker } from './worker-protocol';
import type { WebcamPair } from './pairs';
import type { PairInputSize } from './pair-stage';

export interface EngineFrame {
  width: number;
  height: number;
  alpha: Uint8Array;
  /** The frame's pixels in `format`, handed back (they travel to the worker and return without copies). */
  pixels: Uint8Array;
  format: PixelFormat;
  provider: WebcamProvider;
  model: WebcamModelSlot;
  timings: Omit<FrameTimings, 'transferMs'>;
}

export interface WebcamEngineOptions {
  /** A promise is awaited before the first frame (e.g. read from the studio's settings). */
  provider: ProviderSetting | Promise<ProviderSetting>;
  modelsDir?: string;
  processor?: Partial<WebcamProcessorOptions>;
}

/**
 * How long close() waits for the worker to end by itself before terminating it: longer than the
 * InferenceService's own close patience (30 s), since ending this thread while its inference
 * thread is still starting onnxruntime aborts the whole process (Napi::Error).
 */
const CLOSE_PATIENCE_MS = 35_000;

/**
 * A camera stream's processor on its own worker thread (webcam-worker.ts), which owns an
 * InferenceService. The frame's buffer is transferred in and out, never copied. The thread (with
 * the inference thread and model it starts, ~45 MB) comes with the first frame, not before, so a
 * connected page that sends nothing costs nothing.
 */
export class WorkerWebcamEngine {
  private worker: Worker | null = null;
  private readonly pending = new PendingReplies<EngineFrame, { width: number; height: number; format: PixelFormat }>();
  private readonly choices = new PendingReplies<PairInputSize | null>();
  private closed = false;
  private initialised: Promise<void> | null = null;

  constructor(private readonly options: WebcamEngineOptions) {}

  private start(): Promise<void> {
    const { options } = this;
    const worker = (this.worker = spawnWorker(import.meta.url, 'webcam-worker'));
    worker.on('message', (m: FromWebcamWorker) => {
      if (m.type === 'model') {
        const c = this.choices.take(m.id);
        if (m.ok) c?.resolve(m.input);
        else c?.reject(new Error(m.message));
        return;
      }
      if (m.type !== 'frame') return;
      const p = this.pending.take(m.id);
      if (!p) return;
      if (m.ok) p.resolve({ ...p.extra, alpha: new Uint8Array(m.alpha), pixels: new Uint8Array(m.pixels), provider: m.provider, model: m.model, timings: m.timings });
      else p.reject(new Error(m.message));
    });
    worker.on('error', (e) => {
      this.pending.rejectAll(e);
      this.choices.rejectAll(e);
    });
    worker.on('exit', () => {
      this.pending.rejectAll(new Error('the webcam worker stopped'));
      this.choices.rejectAll(new Error('the webcam worker stopped'));
    });
    return Promise.resolve(options.provider)
      .catch((): ProviderSetting => 'auto')
      .then((provider) => this.post({ type: 'init', provider, modelsDir: options.modelsDir, options: options.processor }));
  }

  /** Processes one frame (RGBA or I420); a view on part of a buffer is copied, a whole buffer is transferred. */
  async process(pixels: Uint8Array, width: number, height: number, format: PixelFormat = 'rgba'): Promise<EngineFrame> {
    if (this.closed) throw new Error('the webcam engine is closed');
    await (this.initialised ??= this.start());
    if (this.closed) throw new Error('the webcam engine is closed');
    const owned = pixels.byteOffset === 0 && pixels.byteLength === pixels.buffer.byteLength && pixels.buffer instanceof ArrayBuffer ? pixels : pixels.slice();
    const { id, reply } = this.pending.open({ width, height, format });
    const buffer = owned.buffer as ArrayBuffer;
    this.post({ type: 'frame', id, width, height, format, pixels: buffer }, [buffer]);
    return reply;
  }

  /**
   * Runs a trained pair from the next frame on, or the automatic model (null). Resolves to the
   * pair's input size once it is loaded; rejects with the reason when it cannot be, and the
   * stream then goes on with the automatic model.
   */
  async selectModel(pair: WebcamPair | null): Promise<PairInputSize | null> {
    if (this.closed) throw new Error('the webcam engine is closed');
    // Nothing runs yet and the automatic model is what a first frame starts with.
    if (!pair && !this.initialised) return null;
    await (this.initialised ??= this.start());
    const { id, reply } = this.choices.open();
    this.post({ type: 'model', id, pair });
    return reply;
  }

  reset(): void {
    this.post({ type: 'reset' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToWebcamWorker);
    const timer = setTimeout(() => void worker.terminate(), CLOSE_PATIENCE_MS);
    await done;
    clearTimeout(timer);
  }

  private post(message: ToWebcamWorker, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(message, transfer);
  }
}
