import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../../../src/engine/models/registry.js';
import { preprocess } from '../../../src/engine/inference/preprocess.js';
import { ASTRONAUT, loadRgb, maxAbsDiff, noiseImage } from './inputs.js';
import { TfjsTfliteReference, useWasmBackend } from './reference/tfjs-tflite.js';

const require = createRequire(import.meta.url);

// Both heads of each converted face detector against an op-by-op TF.js run of its .tflite (the
// reference shares only the flatbuffer reader with the converter). Box offsets are in input
// pixels (tens), score logits up to ~±20: the tolerance is relative to each head's range.
const RELATIVE_TOLERANCE = 1e-4;

describe.each(['face-short-range', 'face-full-range'])('converted %s vs an op-by-op TF.js run of the .tflite', (id) => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it.each(['astronaut', 'noise'])('%s: both heads agree', async (name) => {
    const info = getModel(id);
    const { manifest } = info;
    const ref = new TfjsTfliteReference(readFileSync(require.resolve(`${manifest.source!.package}/${manifest.source!.file}`)));
    const image = name === 'astronaut' ? await loadRgb(ASTRONAUT) : noiseImage(200, 300);
    const x = preprocess(manifest, image);
    const session = await ort.InferenceSession.create(info.onnxPath);
    const heads = [manifest.output.name, manifest.detection!.scores];
    const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', x.data, x.dims) }, heads);
    await session.release();
    const expected = ref.predictAll(x.data);
    heads.forEach((head, k) => {
      const got = out[head].data as Float32Array;
      const range = Math.max(...expected[k].map(Math.abs));
      const diff = maxAbsDiff(got, expected[k]);
      console.log(`parity ${id} ${head} vs op-by-op tfjs, ${name}: max |diff| = ${diff.toExponential(2)} (range ${range.toFixed(1)})`);
      expect(got.length).toBe(expected[k].length);
      expect(diff).toBeLessThanOrEqual(RELATIVE_TOLERANCE * range);
    });
  });
});
