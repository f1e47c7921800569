/**
 * The trainer's export check (training/export.py calls it): validates a model's manifest with the
 * studio's own schema and registry checks, runs the ONNX file through onnxruntime-node on the
 * given input and writes the output, so the exporter can compare it with PyTorch's.
 *
 *   tsx scripts/onnx-parity.ts --model X.onnx --manifest X.json --input in.f32 --dims 1,6,320,320 --output out.f32
 *
 * Prints one JSON line: { ok, id, role, outputDims } or { ok: false, error, problems }.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { ModelError, parseManifest, validateOnnxAgainstManifest } from '../src/engine/models/registry.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, manifest: { type: 'string' }, input: { type: 'string' }, dims: { type: 'string' }, output: { type: 'string' } },
  });
  const { model, manifest: manifestPath, input, dims, output } = values;
  if (!model || !manifestPath || !input || !dims || !output) throw new Error('needs --model --manifest --input --dims --output');
  const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')), manifestPath);
  if (`${manifest.id}.json` !== basename(manifestPath)) throw new ModelError('MANIFEST_INVALID', `manifest ${manifestPath} declares id "${manifest.id}"`);
  validateOnnxAgainstManifest(model, manifest);
  const shape = dims.split(',').map(Number);
  const bytes = readFileSync(input);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  try {
    const result = await session.run({ [manifest.input.name]: new ort.Tensor('float32', data, shape) });
    const out = result[manifest.output.name];
    const values = out.data as Float32Array;
    writeFileSync(output, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    console.log(JSON.stringify({ ok: true, id: manifest.id, role: manifest.role, outputDims: out.dims }));
  } finally {
    await session.release();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = e as Error;
    console.log(JSON.stringify({ ok: false, error: err.message, problems: e instanceof ModelError ? e.problems : [] }));
    process.exit(1);
  },
);
