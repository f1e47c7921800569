import fs from 'node:fs';
import path from 'node:path';
import type { InferenceService } from '../inference/service';
import type { ResolvedModel } from '../inference/protocol';
import type { ModelManifest } from '../models/manifest';
import { decodeModel, encodeModel, type ModelObj, type TensorProtoObj } from '../models/onnx/proto';
import { getModel, ModelError, validateOnnxAgainstManifest } from '../models/registry';
import type { RgbImage } from '../imaging/raster';
import type { WebcamProvider } from '../../shared/webcam';
import type { WebcamPair } from './pairs';

/**
 * Short side of the pair's network input on the webcam. Both networks are fully convolutional, so
 * the webcam runs them at the frame's aspect with this short side rather than at the exported
 * square (320 by default). `bench/webcam.ts --pair` at 640x480, ms per frame under load 12 on 2
 * cores: 160x128 95, 224x160 179, 256x192 279, 352x256 373, 416x320 530. 224x160 costs a third
 * of the 320 input and keeps 2.9 frame pixels per network pixel at 640x480; 160x128 is twice as
 * fast but halves the M-Net's detail again (4 frame pixels per network pixel).
 */
export const PAIR_SHORT_SIDE = 160;
/** MobileNetV2's stride: the T-Net's input sides must be multiples of it. */
const NETWORK_STRIDE = 32;

export interface PairInputSize {
  width: number;
  height: number;
}

/**
 * The pair's network input for frames of this size: the frame's aspect, the short side
 * PAIR_SHORT_SIDE (never more than the pair was exported at), both sides multiples of 32.
 */
export function pairInputSize(frameWidth: number, frameHeight: number, exported: PairInputSize, shortSide = PAIR_SHORT_SIDE): PairInputSize {
  const round = (v: number) => Math.max(NETWORK_STRIDE, Math.round(v / NETWORK_STRIDE) * NETWORK_STRIDE);
  const short = Math.min(shortSide, exported.width, exported.height);
  const landscape = frameWidth >= frameHeight;
  const long = (short * (landscape ? frameWidth : frameHeight)) / (landscape ? frameHeight : frameWidth);
  return landscape ? { width: round(long), height: round(short) } : { width: round(short), height: round(long) };
}

/** The int64 values of a tensor as the decoder gives them (raw little-endian bytes or int64_data). */
function int64Values(t: TensorProtoObj & { int64_data?: number[] }): { values: number[]; write(values: number[]): void } | null {
  if (t.data_type !== 7) return null;
  const raw = t.raw_data;
  if (raw && raw.length) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const values = Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
    return { values, write: (next) => next.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true)) };
  }
  const data = t.int64_data;
  return data ? { values: [...data], write: (next) => next.forEach((v, i) => (data[i] = v)) } : null;
}

/**
 * PyTorch's export folds `F.interpolate(x, size=skip.shape[-2:])` into constant output sizes (the
 * T-Net's decoder: Resize ← Concat(Slice(Shape(x)), Constant [h, w])). At another input size
 * every such size scales with it (the sides are multiples of the network's stride), so each
 * constant spatial size of a Resize is scaled by the new input over the exported one.
 */
function scaleResizeSizes(proto: ModelObj, sy: number, sx: number): void {
  const graph = proto.graph;
  const producer = new Map(graph.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
  const constant = (name: string): TensorProtoObj | undefined => {
    const n = producer.get(name);
    if (n?.op_type === 'Constant') return n.attribute.find((a) => a.name === 'value')?.t;
    return graph.initializer.find((t) => t.name === name);
  };
  const scale = (t: TensorProtoObj | undefined, spatialFrom: number) => {
    const v = t && int64Values(t);
    if (!v || v.values.length < spatialFrom + 2) return;
    const next = [...v.values];
    next[spatialFrom] = Math.round(next[spatialFrom] * sy);
    next[spatialFrom + 1] = Math.round(next[spatialFrom + 1] * sx);
    v.write(next);
  };
  for (const resize of graph.node.filter((n) => n.op_type === 'Resize' && n.input[3])) {
    const sizes = resize.input[3];
    const concat = producer.get(sizes);
    if (concat?.op_type === 'Concat') {
      for (const part of concat.input) {
        const t = constant(part);
        if (t && t.dims.length === 1 && Number(t.dims[0]) === 2) scale(t, 0);
      }
    } else {
      scale(constant(sizes), 2);
    }
  }
}

/**
 * A copy of an NCHW model whose declared input and output are width×height: onnxruntime checks
 * the declared sizes, not the graph's ability to run others. The stale intermediate shapes go
 * (onnxruntime infers them again) and folded resize sizes scale. Written into `dir`; its
 * manifest says the new size so the pre- and post-processing resize to it.
 */
export function resizedModel(model: ResolvedModel, size: PairInputSize, dir: string): ResolvedModel {
  const { manifest } = model;
  if (manifest.input.layout !== 'NCHW' || manifest.output.layout !== 'NCHW') throw new ModelError('MODEL_MISMATCH', `${manifest.id} is not NCHW; the webcam runs it at its own size`);
  const proto = decodeModel(fs.readFileSync(model.onnxPath));
  const graph = proto.graph as typeof proto.graph & { value_info?: unknown[] };
  for (const value of [...graph.input.filter((v) => v.name === manifest.input.name), ...graph.output.filter((v) => v.name === manifest.output.name)]) {
    const dims = value.type?.tensor_type?.shape?.dim;
    if (!dims || dims.length !== 4) throw new ModelError('MODEL_MISMATCH', `${manifest.id}: ${value.name} is not a 4-D tensor`);
    dims[2] = { dim_value: size.height };
    dims[3] = { dim_value: size.width };
  }
  graph.value_info = [];
  scaleResizeSizes(proto, size.height / manifest.input.height, size.width / manifest.input.width);
  const id = `${manifest.id}-webcam-${size.width}x${size.height}`;
  const onnxPath = path.join(dir, `${id}.onnx`);
  fs.writeFileSync(onnxPath, encodeModel(proto));
  const resized: ModelManifest = { ...manifest, id, input: { ...manifest.input, width: size.width, height: size.height } };
  return { manifest: resized, onnxPath };
}

function resolveChecked(id: string, role: 'trimap' | 'matting', modelsDir: string | undefined): ResolvedModel {
  const info = getModel(id, modelsDir);
  if (info.manifest.role !== role) throw new ModelError('MODEL_MISMATCH', `${id} has role ${info.manifest.role}, not ${role}`);
  validateOnnxAgainstManifest(info.onnxPath, info.manifest);
  return { manifest: info.manifest, onnxPath: info.onnxPath };
}

/**
 * A trained pair on the webcam: T-Net → trimap probabilities → M-Net → SHM fusion, through the
 * InferenceService's one implementation of the paper's path (`shm`), at the webcam's input size.
 */
export class PairStage {
  private constructor(
    private readonly inference: InferenceService,
    readonly pair: WebcamPair,
    private readonly tnetId: string,
    private readonly mnetId: string,
    readonly input: PairInputSize,
  ) {}

  /**
   * Checks both models (present, roles, graph against manifest), defines them at the webcam's size
   * and runs one blank frame through them, so a pair that cannot run fails here, not mid-stream. A
   * graph that cannot run at another size (a user's fixed reshape) runs at its exported size.
   */
  static async load(inference: InferenceService, pair: WebcamPair, frame: PairInputSize, modelsDir: string | undefined, scratchDir: string, shortSide = PAIR_SHORT_SIDE): Promise<PairStage> {
    const tnet = resolveChecked(pair.tnet, 'trimap', modelsDir);
    const mnet = resolveChecked(pair.mnet, 'matting', modelsDir);
    const exported = { width: tnet.manifest.input.width, height: tnet.manifest.input.height };
    const size = pairInputSize(frame.width, frame.height, exported, shortSide);
    const attempts: [ResolvedModel, ResolvedModel][] = [[tnet, mnet]];
    if (size.width !== exported.width || size.height !== exported.height) {
      fs.mkdirSync(scratchDir, { recursive: true });
      attempts.unshift([resizedModel(tnet, size, scratchDir), resizedModel(mnet, size, scratchDir)]);
    }
    let failure: unknown;
    for (const [t, m] of attempts) {
      inference.define(t);
      inference.define(m);
      const stage = new PairStage(inference, pair, t.manifest.id, m.manifest.id, { width: t.manifest.input.width, height: t.manifest.input.height });
      try {
        await stage.run({ width: stage.input.width, height: stage.input.height, data: new Uint8Array(stage.input.width * stage.input.height * 3) });
        return stage;
      } catch (e) {
        failure ??= e;
      }
    }
    throw failure;
  }

  /** The fused alpha at `image`'s size (the pre- and post-processing resize to and from the input size). */
  async run(image: RgbImage): Promise<{ alpha: Float32Array; provider: WebcamProvider }> {
    const r = await this.inference.shm(this.tnetId, this.mnetId, image);
    return { alpha: r.alpha, provider: r.provider };
  }
}
