import * as ort from 'onnxruntime-node';
import type { ModelManifest } from '../models/manifest.js';
import { inputChannels } from '../models/channels.js';
import type { RgbImage } from '../imaging/raster.js';
import type { Placement } from './geometry.js';
import { postprocess } from './postprocess.js';
import { preprocess, type TrimapProbabilities } from './preprocess.js';
import { InferenceError, type Provider } from './providers.js';
import type { ResolvedModel } from './protocol.js';

export interface SessionTuning {
  /**
   * Threads inside one operator. Default 1: on the 2-core dev machine the selfie models ran
   * 2.9 ms with 1 thread vs 7.4 ms with 2 (bench/inference.ts); their ops are too small to split.
   */
  intraOpThreads?: number;
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface RunResult {
  planes: Float32Array[];
  /** Milliseconds spent in session.run (pre/post-processing excluded). */
  runMs: number;
}

/** Spare input tensors kept per model: the most the semantic stage has in flight at once (its squares). */
const MAX_SPARE_INPUTS = 4;

/** Owns one onnxruntime session per model (created on first use, then reused). */
export class SessionRunner {
  private readonly sessions = new Map<string, Promise<{ session: ort.InferenceSession; manifest: ModelManifest }>>();
  /**
   * Input tensors whose run has ended, by model id, written over by the next runs: the semantic
   * stage's views are three 786 KB tensors per photo, and fresh ones cost their pages' first
   * touch and the collector's work for the external memory.
   */
  private readonly spareInputs = new Map<string, Float32Array[]>();
  /** Models whose session load() has warmed (or is warming), and those warm-ups under way (close() waits for them). */
  private readonly warmed = new Set<string>();
  private readonly warming = new Set<Promise<void>>();

  constructor(
    private readonly provider: Provider,
    private readonly tuning: SessionTuning = {},
  ) {}

  private open(model: ResolvedModel) {
    const id = model.manifest.id;
    let entry = this.sessions.get(id);
    if (!entry) {
      entry = (async () => {
        const session = await ort.InferenceSession.create(model.onnxPath, {
          executionProviders: [this.provider],
          graphOptimizationLevel: this.tuning.graphOptimization ?? 'all',
          intraOpNumThreads: this.tuning.intraOpThreads ?? 1,
          executionMode: 'sequential',
          logSeverityLevel: 3,
        });
        return { session, manifest: model.manifest };
      })();
      this.sessions.set(id, entry);
      entry.catch(() => this.sessions.delete(id)); // a failed load may be retried
    }
    return entry;
  }

  /**
   * Creates the model's session (once; later calls reuse it), then runs it twice on a blank input
   * without holding up the reply: onnxruntime's first two runs of a session cost more than the
   * rest (the selfie segmenter's: 15-20 and 10 ms CPU, then 2.8 ms), and a preloaded session's
   * first runs would otherwise be the first image's. A real run queued meanwhile goes between them.
   */
  async load(model: ResolvedModel): Promise<void> {
    const { session, manifest } = await this.open(model);
    if (this.warmed.has(manifest.id)) return;
    this.warmed.add(manifest.id);
    const warm = (async () => {
      const dims = manifest.input.layout === 'NHWC' ? [1, manifest.input.height, manifest.input.width, inputChannels(manifest)] : [1, inputChannels(manifest), manifest.input.height, manifest.input.width];
      const blank = new Float32Array(dims.reduce((a, b) => a * b, 1));
      for (let k = 0; k < 2; k++) await session.run({ [manifest.input.name]: new ort.Tensor('float32', blank, dims) });
    })().catch(() => undefined); // a model that fails on a blank input fails the real run with its own error
    this.warming.add(warm);
    void warm.then(() => this.warming.delete(warm));
  }

  /** The image placed and normalised as the manifest says, through the session; the named outputs as the graph gives them. */
  private async infer(model: ResolvedModel, image: RgbImage, outputs: string[], trimap?: TrimapProbabilities) {
    const { session, manifest } = await this.open(model);
    const spare = this.spareInputs.get(manifest.id) ?? this.spareInputs.set(manifest.id, []).get(manifest.id)!;
    const input = preprocess(manifest, image, trimap, spare.pop());
    const t0 = performance.now();
    try {
      const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input.data, input.dims) }, outputs);
      return { out, placement: input.placement, runMs: performance.now() - t0 };
    } catch (e) {
      throw new InferenceError('INFERENCE_FAILED', `model ${manifest.id}: ${(e as Error).message}`);
    } finally {
      // The run has read its input (onnxruntime-node runs synchronously, and keeps no reference).
      if (spare.length < MAX_SPARE_INPUTS) spare.push(input.data);
    }
  }

  /**
   * Raw outputs by name, with where the image sat in the network input: for models whose outputs
   * are not image planes (a detector's box and score heads).
   */
  async runOutputs(model: ResolvedModel, image: RgbImage, names: string[]): Promise<{ outputs: Record<string, Float32Array>; placement: Placement; runMs: number }> {
    const { out, placement, runMs } = await this.infer(model, image, names);
    return { outputs: Object.fromEntries(names.map((n) => [n, out[n].data as Float32Array])), placement, runMs };
  }

  async run(model: ResolvedModel, image: RgbImage, trimap?: TrimapProbabilities): Promise<RunResult> {
    const { manifest } = model;
    const { out, placement, runMs } = await this.infer(model, image, [manifest.output.name], trimap);
    const tensor = out[manifest.output.name];
    // Probabilities and alphas come back in 0..1; trimap class planes as the activation left them.
    const planes = postprocess(manifest, { data: tensor.data as Float32Array, dims: tensor.dims }, placement, image.width, image.height, {
      clampUnit: manifest.role !== 'trimap',
      ownsTensor: true,
    });
    return { planes, runMs };
  }

  async close(): Promise<void> {
    await Promise.all(this.warming);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => null))?.session.release()));
  }
}
