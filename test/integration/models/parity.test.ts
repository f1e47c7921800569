import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../../../src/engine/models/registry.js';
import type { RgbImage } from '../../../src/engine/imaging/raster.js';
import { ASTRONAUT, gradientImage, loadRgb, maxAbsDiff, noiseImage, toUnitFloats } from './inputs.js';
import { loadSelfieGraph, predictGraph } from './reference/tfjs-selfie-graph.js';
import { TfjsTfliteReference } from './reference/tfjs-tflite.js';

const require = createRequire(import.meta.url);
const tflite = (file: string) => readFileSync(require.resolve(`@mediapipe/selfie_segmentation/${file}`));

async function onnxPredict(id: string, x: Float32Array): Promise<Float32Array> {
  const info = getModel(id);
  const session = await ort.InferenceSession.create(info.onnxPath);
  const { input, output } = info.manifest;
  const out = await session.run({ [input.name]: new ort.Tensor('float32', x, [1, input.height, input.width, 3]) });
  await session.release();
  return out[output.name].data as Float32Array;
}

async function inputs(width: number, height: number): Promise<[string, RgbImage][]> {
  return [
    ['astronaut', await loadRgb(ASTRONAUT, width, height)],
    ['gradient', gradientImage(width, height)],
    ['noise', noiseImage(width, height)],
  ];
}

const TOLERANCE = 1e-3;

describe('converted selfie-general vs the TF.js graph of the same model', () => {
  let graph: Awaited<ReturnType<typeof loadSelfieGraph>>;
  beforeAll(async () => {
    graph = await loadSelfieGraph();
  });

  it('patches exactly the 11 hard-swish constants', () => {
    expect(graph.patched).toBe(11);
  });

  it.each(['astronaut', 'gradient', 'noise'])('%s: max |diff| <= 1e-3', async (name) => {
    const img = (await inputs(256, 256)).find(([n]) => n === name)![1];
    const x = toUnitFloats(img);
    const diff = maxAbsDiff(await onnxPredict('selfie-general', x), predictGraph(graph.model, x, [1, 256, 256, 3]));
    console.log(`parity selfie-general vs tfjs graph, ${name}: max |diff| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('the op-by-op TF.js reference agrees with the graph too (so it can stand in for the landscape model)', async () => {
    const ref = new TfjsTfliteReference(tflite('selfie_segmentation.tflite'));
    const x = toUnitFloats(await loadRgb(ASTRONAUT, 256, 256));
    const diff = maxAbsDiff(ref.predict(x), predictGraph(graph.model, x, [1, 256, 256, 3]));
    console.log(`parity op-by-op reference vs tfjs graph, astronaut: max |diff| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('converted selfie-landscape vs an op-by-op TF.js run of the .tflite', () => {
  it.each(['astronaut', 'gradient', 'noise'])('%s: max |diff| <= 1e-3', async (name) => {
    const ref = new TfjsTfliteReference(tflite('selfie_segmentation_landscape.tflite'));
    const img = (await inputs(256, 144)).find(([n]) => n === name)![1];
    const x = toUnitFloats(img);
    const diff = maxAbsDiff(await onnxPredict('selfie-landscape', x), ref.predict(x));
    console.log(`parity selfie-landscape vs op-by-op tfjs, ${name}: max |diff| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});
