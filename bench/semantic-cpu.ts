/**
 * npx tsx bench/semantic-cpu.ts [folder] — CPU milliseconds per photo of the default semantic
 * stage (views through the segmenter, merge, subject, smart band, full-size trimap and
 * probability), single-threaded: the stage and its onnxruntime session run in this thread, so
 * this thread's CPU time (the scheduler's count, /proc/self/task/<pid>/schedstat) is the stage's;
 * the process's adds V8's helper threads (collector, compiler), which THREADS=1 lists. With
 * BASE=<folder holding an older src/> (for example `git archive <commit> src | tar -x -C <folder>`
 * and a node_modules link) the older stage runs too, alternating with this one photo by photo,
 * each with its own session, and the outputs are compared (trimap pixels that differ, largest
 * probability difference). PROFILE=1 adds V8's sampling profile of each stage: self
 * milliseconds per photo of its heaviest functions. ROUNDS (default 3) passes over the folder
 * (default the development portraits, ../shared/dev/portraits/img). Medians and means per photo; session.run is wall time, so under load it
 * includes waiting for a core.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Session } from 'node:inspector/promises';
import { decodeRgb } from '../src/engine/imaging/decode.js';
import type { RgbImage } from '../src/engine/imaging/raster.js';
import { getModel } from '../src/engine/models/registry.js';
import type * as SemanticModule from '../src/engine/semantic/index.js';
import type * as RunnerModule from '../src/engine/inference/session-runner.js';

const MODEL = 'selfie-general';
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const folder = process.argv[2] ?? resolve('../shared/dev/portraits/img');

/** Milliseconds in onnxruntime's session.run, summed over a stage's views. */
let runMs = 0;

interface Stage {
  ms: Record<string, number>;
  prob: Float32Array;
  band: { trimap: Uint8Array } | null;
}
type StageFn = (image: RgbImage) => Promise<Stage>;

/** The stage of the src/ tree under `root`, with a session of its own SessionRunner in this thread. */
async function stageOf(root: string): Promise<StageFn> {
  const semantic = (await import(join(root, 'src/engine/semantic/index.ts'))) as typeof SemanticModule;
  const runners = (await import(join(root, 'src/engine/inference/session-runner.ts'))) as typeof RunnerModule;
  const info = getModel(MODEL);
  const model = { manifest: info.manifest, onnxPath: info.onnxPath };
  const runner = new runners.SessionRunner('cpu');
  const segment = async (view: RgbImage) => {
    const r = await runner.run(model, view);
    runMs += r.runMs;
    return r.planes[0];
  };
  return (image) => semantic.semanticStage(segment, image, {});
}

/** This thread's own CPU milliseconds so far (the scheduler's count, in ns: without V8's helper threads). */
const threadMs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const files = readdirSync(folder).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
const photos = await Promise.all(files.map((f) => decodeRgb(join(folder, f))));
const variants: [string, StageFn][] = [['this tree', await stageOf(resolve(import.meta.dirname, '..'))]];
if (process.env.BASE) variants.unshift(['BASE', await stageOf(resolve(process.env.BASE))]);
// Sessions, module loading and the JIT's first passes are not per photo.
for (const [, run] of variants) for (const p of photos.slice(0, 3)) await run({ ...p, data: Uint8Array.from(p.data) });

/** CPU milliseconds of each thread of this process (the scheduler's count), by thread id and name. */
function threadTimes(): Map<string, number> {
  const times = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const name = `${tid} ${readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim()}`;
    times.set(name, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
  }
  return times;
}
const threadsBefore = threadTimes();
const profiler = process.env.PROFILE ? new Session() : null;
profiler?.connect();
await profiler?.post('Profiler.enable');
await profiler?.post('Profiler.setSamplingInterval', { interval: 200 });
const selfMs = new Map<string, Map<string, number>>();
const cpu = new Map<string, number[]>();
const model = new Map<string, number[]>();
const wall = new Map<string, number[]>();
const thread = new Map<string, number[]>();
/** The kernel's part of the CPU time: mostly first touches of freshly mapped pages (large new arrays). */
const sys = new Map<string, number[]>();
/** The stage's own wall milliseconds per part (views with their model runs, subject, band). */
const parts = new Map<string, Record<string, number[]>>();
const differences: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [k, photo] of photos.entries()) {
    const outputs: Stage[] = [];
    // Alternating which goes first: the second one finds the caches and the CPU warmer.
    const order = (round + k) % 2 === 0 ? variants : [...variants].reverse();
    for (const [name, run] of order) {
      // A fresh buffer each time: the working image is cached per pixel buffer, made once per photo in a batch.
      const image = { ...photo, data: Uint8Array.from(photo.data) };
      await profiler?.post('Profiler.start');
      const c = process.cpuUsage();
      const own = threadMs();
      const t = performance.now();
      runMs = 0;
      const stage = await run(image);
      (wall.get(name) ?? wall.set(name, []).get(name)!).push(performance.now() - t);
      (thread.get(name) ?? thread.set(name, []).get(name)!).push(threadMs() - own);
      (cpu.get(name) ?? cpu.set(name, []).get(name)!).push(cpuMs(c));
      (sys.get(name) ?? sys.set(name, []).get(name)!).push(process.cpuUsage(c).system / 1000);
      (model.get(name) ?? model.set(name, []).get(name)!).push(runMs);
      const partsOf = parts.get(name) ?? parts.set(name, {}).get(name)!;
      for (const [part, ms] of Object.entries(stage.ms)) (partsOf[part] ??= []).push(ms);
      if (profiler) addProfile(name, (await profiler.post('Profiler.stop')).profile);
      outputs[variants.findIndex(([n]) => n === name)] = stage;
    }
    if (outputs.length === 2 && round === 0) differences.push(`${files[k]}: ${compare(outputs[0], outputs[1])}`);
  }
}

if (process.env.THREADS) {
  // Where the process's CPU went while the stages ran: this thread, V8's helpers (GC, compiler), others.
  for (const [name, ms] of threadTimes()) if (ms - (threadsBefore.get(name) ?? 0) > 1) console.log(`thread ${name}: ${((ms - (threadsBefore.get(name) ?? 0)) / (ROUNDS * photos.length * variants.length)).toFixed(1)} ms per stage`);
}

function addProfile(name: string, profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples?: number[]; timeDeltas?: number[] }): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = selfMs.get(name) ?? selfMs.set(name, new Map()).get(name)!;
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    const f = byId.get(samples[i])!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-1)[0]}${f.functionName ? '' : `:${f.lineNumber + 1}`}`.trim();
    totals.set(key, (totals.get(key) ?? 0) + (timeDeltas[i + 1] ?? 0) / 1000);
  }
}

function compare(a: Stage, b: Stage): string {
  let trimap = 0;
  let maxProb = 0;
  for (let i = 0; i < a.band!.trimap.length; i++) {
    if (a.band?.trimap[i] !== b.band?.trimap[i]) trimap++;
    maxProb = Math.max(maxProb, Math.abs(a.prob[i] - b.prob[i]));
  }
  return `trimap pixels differing ${trimap}, largest probability difference ${maxProb.toExponential(2)}`;
}

const n = ROUNDS * photos.length;
console.log(`semantic stage, CPU ms per photo (median of ${ROUNDS} rounds × ${photos.length} photos of ${folder}, ${photos[0].width}×${photos[0].height}; load ${os.loadavg()[0].toFixed(1)})`);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
for (const [name] of variants) {
  const [c, m, w, k, own] = [cpu.get(name)!, model.get(name)!, wall.get(name)!, sys.get(name)!, thread.get(name)!];
  console.log(`${name.padEnd(10)} this thread's CPU ${median(own).toFixed(1)} ms (mean ${mean(own).toFixed(1)})`);
  console.log(`${name.padEnd(10)} process CPU ${median(c).toFixed(1)} ms (mean ${mean(c).toFixed(1)}), of which session.run ${median(m).toFixed(1)} ms (mean ${mean(m).toFixed(1)}): the rest ${mean(c.map((x, i) => x - m[i])).toFixed(1)} ms mean; system ${mean(k).toFixed(1)} ms mean; wall ${mean(w).toFixed(1)} ms mean`);
  console.log(`           parts (wall ms, mean): ${Object.entries(parts.get(name)!).map(([k, v]) => `${k} ${mean(v).toFixed(2)}`).join(', ')}`);
}
for (const [name, totals] of selfMs) {
  console.log(`${name}: self ms per photo (sampled), heaviest functions`);
  for (const [fn, ms] of [...totals].sort((x, y) => y[1] - x[1]).slice(0, 22)) console.log(`  ${(ms / n).toFixed(2).padStart(7)}  ${fn}`);
}
for (const d of differences) console.log(d);
