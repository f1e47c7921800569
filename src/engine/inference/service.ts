import type { Worker } from 'node:worker_threads';
import type { ModelRole, TrimapClass } from '../models/manifest.js';
import { ModelError, type ModelErrorCode } from '../models/validate.js';
import type { RgbImage } from '../imaging/raster.js';
import { spawnWorker } from '../workers/spawn.js';
import { fuseShm } from '../matting/alpha/fusion.js';
import type { TrimapProbabilities } from './preprocess.js';
import type { ResolvedModel, SerializedError, WorkerRequest, WorkerResponse } from './protocol.js';
import { getModel } from '../models/registry.js';
import { InferenceError, type InferenceErrorCode, type Provider, type ProviderReport, type ProviderSetting } from './providers.js';
import type { SessionTuning } from './session-runner.js';
import type { SemanticOptions, SemanticStage } from '../semantic/index.js';
import type { Detection } from '../semantic/detector.js';
import { PendingReplies } from '../../shared/pending-replies.js';

export { InferenceError, type InferenceErrorCode, type Provider, type ProviderReport, type ProviderSetting } from './providers.js';
export type { TrimapProbabilities } from './preprocess.js';
export { fuseShm } from '../matting/alpha/fusion.js';

/** How long close() waits for requests under way before it ends the thread regardless. */
const CLOSE_PATIENCE_MS = 30_000;

export interface InferenceServiceOptions {
  modelsDir?: string;
  provider: ProviderSetting;
  tuning?: SessionTuning;
}

export interface Timed {
  provider: Provider;
  /** Wall time in the worker: pre-processing, session.run and post-processing. */
  ms: number;
}

type RunOk = Extract<WorkerResponse, { ok: true; type: 'run' }>;
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function revive(e: SerializedError): Error {
  if (e.name === 'ModelError') return new ModelError(e.code as ModelErrorCode, e.message);
  if (e.name === 'InferenceError') return new InferenceError(e.code as InferenceErrorCode, e.message);
  return new Error(e.message);
}

/**
 * Runs ONNX models on a worker thread: one session per model, created on first use and reused.
 * The execution provider is chosen once (see providerReport) for every model of the service.
 */
export class InferenceService {
  private readonly worker: Worker;
  private readonly pending = new PendingReplies<WorkerResponse>();
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Requests accepted and not yet settled: close() lets them finish. */
  private readonly operations = new Set<Promise<unknown>>();
  private readonly ready: Promise<ProviderReport>;
  private readonly modelsDir: string | undefined;
  private readonly models = new Map<string, ResolvedModel>();

  constructor(options: InferenceServiceOptions) {
    this.worker = spawnWorker(import.meta.url, 'inference-worker');
    this.worker.on('message', (res: WorkerResponse) => this.pending.take(res.id)?.resolve(res));
    this.worker.on('error', (e) => this.pending.rejectAll(e));
    this.worker.on('exit', (code) => this.pending.rejectAll(new InferenceError('SERVICE_CLOSED', `inference worker exited (${code})`)));
    this.modelsDir = options.modelsDir;
    this.ready = this.call({ type: 'init', provider: options.provider, tuning: options.tuning }).then((r) => {
      if (r.type !== 'init') throw new Error('unexpected worker reply');
      return r.report;
    });
    this.ready.catch(() => undefined); // surfaced by every later call instead
  }

  private call(req: Request): Promise<Extract<WorkerResponse, { ok: true }>> {
    if (this.closed) return Promise.reject(new InferenceError('SERVICE_CLOSED', 'inference service is closed'));
    const { id, reply } = this.pending.open();
    this.worker.postMessage({ ...req, id } as WorkerRequest);
    return reply.then((res) => {
      if (!res.ok) throw revive(res.error);
      return res;
    });
  }

  /**
   * The model's manifest (validated) and file, found here rather than in the worker, whose start
   * is on the critical path of a batch: the registry's zod and protobufjs took ~75 ms to load there.
   */
  private resolve(modelId: string): ResolvedModel {
    let model = this.models.get(modelId);
    if (!model) {
      const info = getModel(modelId, this.modelsDir);
      model = { manifest: info.manifest, onnxPath: info.onnxPath };
      this.models.set(modelId, model);
    }
    return model;
  }

  /**
   * Makes a model the caller resolved itself callable by its manifest id (the webcam's copy of a
   * trained pair at a smaller input size): the registry is not consulted for that id.
   */
  define(model: ResolvedModel): void {
    this.models.set(model.manifest.id, model);
  }

  /** Accepts a request unless close() has begun; close() waits for the accepted ones. */
  private accept<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new InferenceError('SERVICE_CLOSED', 'inference service is closed'));
    const p = operation();
    this.operations.add(p);
    const forget = () => this.operations.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Which provider is active and why the ones before it were skipped. Rejects when an explicit provider is unavailable. */
  providerReport(): Promise<ProviderReport> {
    return this.ready;
  }

  private run(modelId: string, roles: ModelRole[], image: RgbImage, trimap?: TrimapProbabilities): Promise<RunOk & { provider: Provider }> {
    return this.accept(async () => {
      const { active } = await this.ready;
      const res = await this.call({ type: 'run', model: this.resolve(modelId), roles, image, trimap });
      if (res.type !== 'run') throw new Error('unexpected worker reply');
      return { ...res, provider: active };
    });
  }

  /**
   * Creates the model's session now (validating its manifest and file), so the first image of a
   * batch does not wait for it. Rejects as the first run would, with the same typed errors.
   */
  preload(modelId: string): Promise<void> {
    return this.accept(async () => {
      await this.ready;
      await this.call({ type: 'open', model: this.resolve(modelId) });
    });
  }

  /** Segmenter: foreground probability per pixel of `image` (width*height, 0..1). */
  async segment(modelId: string, image: RgbImage): Promise<Timed & { prob: Float32Array }> {
    const r = await this.run(modelId, ['segmenter'], image);
    return { prob: r.planes[0], provider: r.provider, ms: r.ms };
  }

  /**
   * The automatic trimap's semantic stage for a segmenter, in one request on the worker thread:
   * the views' model runs and their merge, the subject selection and (unless the options ask for
   * the fixed band) the smart band.
   */
  semantic(modelId: string, image: RgbImage, options: SemanticOptions = {}): Promise<Timed & { stage: SemanticStage }> {
    return this.accept(async () => {
      const { active } = await this.ready;
      const detector = options.detector === undefined ? undefined : this.resolve(options.detector);
      const res = await this.call({ type: 'semantic', model: this.resolve(modelId), image, options, ...(detector ? { detector } : {}) });
      if (res.type !== 'semantic') throw new Error('unexpected worker reply');
      return { stage: res.stage, provider: active, ms: res.ms };
    });
  }

  /** Detector: the faces in `image`, best first, boxes and keypoints in its pixels (semantic/detector.ts). */
  detectFaces(modelId: string, image: RgbImage): Promise<Timed & { faces: Detection[] }> {
    return this.accept(async () => {
      const { active } = await this.ready;
      const res = await this.call({ type: 'detect', model: this.resolve(modelId), image });
      if (res.type !== 'detect') throw new Error('unexpected worker reply');
      return { faces: res.faces, provider: active, ms: res.ms };
    });
  }

  /** SHM T-Net: softmax probabilities of background / unknown / foreground at image size. */
  async trimap(modelId: string, image: RgbImage): Promise<Timed & { probabilities: TrimapProbabilities }> {
    const r = await this.run(modelId, ['trimap'], image);
    const classes = (r.classes ?? ['background', 'unknown', 'foreground']) as TrimapClass[];
    const probabilities = Object.fromEntries(classes.map((c, i) => [c, r.planes[i]])) as TrimapProbabilities;
    return { probabilities, provider: r.provider, ms: r.ms };
  }

  /** SHM M-Net (needs trimap probabilities) or an end-to-end model: the network's alpha, clamped to 0..1. */
  async matte(modelId: string, image: RgbImage, trimap?: TrimapProbabilities): Promise<Timed & { alpha: Float32Array }> {
    const r = await this.run(modelId, trimap ? ['matting'] : ['end2end'], image, trimap);
    return { alpha: r.planes[0], provider: r.provider, ms: r.ms };
  }

  /**
   * The paper's two stages and fusion: T-Net → (optionally a corrected trimap) → M-Net, then
   * alpha = Fs + Us * alpha_r.
   */
  async shm(tnetId: string, mnetId: string, image: RgbImage, corrected?: TrimapProbabilities): Promise<Timed & { alpha: Float32Array; alphaR: Float32Array; trimap: TrimapProbabilities }> {
    const t = corrected ? null : await this.trimap(tnetId, image);
    const trimap = corrected ?? t!.probabilities;
    const m = await this.matte(mnetId, image, trimap);
    return { alpha: fuseShm(trimap.foreground, trimap.unknown, m.alpha), alphaR: m.alpha, trimap, provider: m.provider, ms: (t?.ms ?? 0) + m.ms };
  }

  /**
   * Refuses new requests, lets the accepted ones finish (provider probes, session creation, runs:
   * ending the thread while onnxruntime's native code calls back into it aborts the whole
   * process), then releases the sessions and ends the thread.
   */
  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_PATIENCE_MS)));
    await Promise.race([Promise.allSettled([this.ready, ...this.operations]), patience]);
    clearTimeout(timer);
    try {
      await this.call({ type: 'close' });
    } catch {
      // the worker is going away either way
    }
    this.closed = true;
    await this.worker.terminate();
  }
}
