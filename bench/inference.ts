/**
 * npx tsx bench/inference.ts — ms per inference of both default models with onnxruntime-node on
 * CPU, beside the TF.js (wasm) reference runtimes the parity tests use, measured in the same run.
 * Also: session-option variants, and whether session.run() leaves the calling event loop free.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { getModel } from '../src/engine/models/registry.js';
import { InferenceService } from '../src/engine/inference/service.js';
import { ASTRONAUT, loadRgb, toUnitFloats } from '../test/integration/models/inputs.js';
import { loadSelfieGraph, predictGraph } from '../test/integration/models/reference/tfjs-selfie-graph.js';
import { TfjsTfliteReference } from '../test/integration/models/reference/tfjs-tflite.js';
import { worstEventLoopGap } from '../test/helpers/event-loop.js';

const RUNS = Number(process.env.RUNS ?? 40);
const require = createRequire(import.meta.url);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

async function ortSession(path: string, opts: ort.InferenceSession.SessionOptions) {
  return ort.InferenceSession.create(path, { executionProviders: ['cpu'], logSeverityLevel: 3, ...opts });
}

const rows: string[] = [];
const row = (...cells: (string | number)[]) => rows.push(cells.map((c) => (typeof c === 'number' ? c.toFixed(2) : c)).join('\t'));

const graph = await loadSelfieGraph();
for (const id of ['selfie-general', 'selfie-landscape'] as const) {
  const info = getModel(id);
  const { width, height, name } = info.manifest.input;
  const x = toUnitFloats(await loadRgb(ASTRONAUT, width, height));
  const dims = [1, height, width, 3];
  const feeds = () => ({ [name]: new ort.Tensor('float32', x, dims) });
  const variants: [string, ort.InferenceSession.SessionOptions][] = [
    ['ort cpu default (threads=auto, opt=all)', {}],
    ['ort cpu threads=1 opt=all', { intraOpNumThreads: 1 }],
    ['ort cpu threads=2 opt=all', { intraOpNumThreads: 2 }],
    ['ort cpu threads=2 opt=basic', { intraOpNumThreads: 2, graphOptimizationLevel: 'basic' }],
    ['ort cpu threads=2 opt=disabled', { intraOpNumThreads: 2, graphOptimizationLevel: 'disabled' }],
  ];
  const ortMs: Record<string, number> = {};
  for (const [label, opts] of variants) {
    const s = await ortSession(info.onnxPath, opts);
    ortMs[label] = await time(() => s.run(feeds()));
    await s.release();
  }
  const refLabel = id === 'selfie-general' ? 'tfjs-wasm graph (selfie.json)' : 'tfjs-wasm op-by-op .tflite';
  const ref = id === 'selfie-general' ? null : new TfjsTfliteReference(readFileSync(require.resolve(`@mediapipe/selfie_segmentation/${info.manifest.source!.file}`)));
  const refMs = await time(() => (ref ? ref.predict(x) : predictGraph(graph.model, x, dims)));
  for (const [label, ms] of Object.entries(ortMs)) row(id, label, ms, `${(refMs / ms).toFixed(1)}x faster than reference`);
  row(id, refLabel, refMs, 'reference');
}

// Does session.run() leave the event loop free? Longest timer gap during 20 runs on this thread.
{
  const info = getModel('selfie-general');
  const s = await ortSession(info.onnxPath, {});
  const x = new Float32Array(256 * 256 * 3).fill(0.5);
  row('event loop', 'in-thread session.run: worst timer gap', await worstEventLoopGap(() => s.run({ input_1: new ort.Tensor('float32', x, [1, 256, 256, 3]) })), 'ms');
  await s.release();
  const svc = new InferenceService({ provider: 'cpu' });
  const img = await loadRgb(ASTRONAUT);
  row('event loop', 'InferenceService (worker): worst timer gap', await worstEventLoopGap(() => svc.segment('selfie-general', img)), 'ms');
  row('service', 'segment() 256x256 end to end (pre+run+post, worker hop)', await time(() => svc.segment('selfie-general', img)), 'ms');
  const big = await loadRgb(ASTRONAUT, 1024, 1024);
  row('service', 'segment() 1024x1024 image end to end', await time(() => svc.segment('selfie-general', big), 10), 'ms');
  await svc.close();
}

console.log(`median of ${RUNS} runs after 5 warm-ups; astronaut input; ${new Date().toISOString()}`);
console.log(rows.join('\n'));
