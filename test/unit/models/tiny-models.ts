import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxGraphBuilder } from '../../../src/engine/models/onnx/graph-builder.js';
import { OnnxType } from '../../../src/engine/models/onnx/proto.js';
import type { ModelManifestInput } from '../../../src/engine/models/manifest.js';

/** A 1×1 convolution NCHW model: out[o] = sum_i W[o][i] * in[i] + b[o]; known weights, exact results. */
export function conv1x1Model(inName: string, outName: string, inC: number, weights: number[][], bias: number[], size: number): Uint8Array {
  const g = new OnnxGraphBuilder();
  const outC = weights.length;
  g.input(inName, OnnxType.FLOAT, [1, inC, size, size]);
  const w = g.float('W', [outC, inC, 1, 1], Float32Array.from(weights.flat()));
  const b = g.float('B', [outC], Float32Array.from(bias));
  g.node('Conv', [inName, w, b], { kernel_shape: [1, 1] }, outName);
  g.output(outName, OnnxType.FLOAT, [1, outC, size, size]);
  return g.encode('tiny');
}

export const TNET_W = [
  [0.5, -0.25, 0.1],
  [0.2, 0.3, -0.4],
  [-0.6, 0.1, 0.7],
];
export const TNET_B = [0.05, -0.1, 0.2];
export const MNET_W = [[0.1, 0.2, 0.3, 0.5, -0.5, 1.0]];
export const MNET_B = [0.1];
export const SHM_MEAN: [number, number, number] = [104, 112, 121];

export function tnetManifest(size: number): ModelManifestInput {
  return {
    id: 'tiny-tnet',
    name: 'tiny T-Net',
    role: 'trimap',
    input: { name: 'image', width: size, height: size, layout: 'NCHW', channelOrder: 'BGR', normalize: { mean: SHM_MEAN, std: [255, 255, 255] }, resize: 'stretch' },
    output: { name: 'trimap', layout: 'NCHW', meaning: 'trimap-logits', activation: 'softmax', classes: ['background', 'unknown', 'foreground'] },
    license: { name: 'test' },
    preparation: { method: 'user-onnx' },
  };
}

export function mnetManifest(size: number): ModelManifestInput {
  return {
    id: 'tiny-mnet',
    name: 'tiny M-Net',
    role: 'matting',
    input: {
      name: 'image_trimap',
      width: size,
      height: size,
      layout: 'NCHW',
      channelOrder: 'BGR',
      normalize: { mean: SHM_MEAN, std: [255, 255, 255] },
      resize: 'stretch',
      trimapChannels: ['background', 'unknown', 'foreground'],
    },
    output: { name: 'alpha', layout: 'NCHW', meaning: 'alpha', activation: 'none' },
    license: { name: 'test' },
    preparation: { method: 'user-onnx' },
  };
}

export function writeTinyShm(dir: string, size: number): { tnet: string; mnet: string } {
  const tnet = join(dir, 'tnet-src.onnx');
  const mnet = join(dir, 'mnet-src.onnx');
  writeFileSync(tnet, conv1x1Model('image', 'trimap', 3, TNET_W, TNET_B, size));
  writeFileSync(mnet, conv1x1Model('image_trimap', 'alpha', 6, MNET_W, MNET_B, size));
  return { tnet, mnet };
}
