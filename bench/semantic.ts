/**
 * npx tsx bench/semantic.ts [photo...] — ms per image of each part of the automatic trimap's
 * semantic stage on 2 MP photos: the whole stage as the engine runs it (one request on the
 * inference thread) against what it replaced, one full-frame pass and the fixed band (the
 * reference, measured in the same run), then the parts switched on one by one. Default photo: the
 * astronaut, upscaled to 1732×1155 (2 MP). RUNS (default 9) repetitions; medians of wall time and
 * of the process's CPU time (this thread and the inference thread: steadier than wall time on a
 * shared machine); the ratios are against the reference of the same run. The budget (issue 16):
 * the whole stage under 60 ms per 2 MP photo on the 2-core machine.
 */
import os from 'node:os';
import sharp from 'sharp';
import { decodeRgb } from '../src/engine/imaging/decode.js';
import type { RgbImage } from '../src/engine/imaging/raster.js';
import { InferenceService } from '../src/engine/inference/service.js';
import { makeTrimap } from '../src/engine/matting/trimap/trimap.js';
import { semanticStage, type SemanticOptions } from '../src/engine/semantic/index.js';
import { DEFAULT_MULTI_VIEW } from '../src/engine/semantic/multi-view.js';
import { workingImage } from '../src/engine/semantic/working-image.js';
import { ASTRONAUT } from '../test/integration/models/inputs.js';

const RUNS = Number(process.env.RUNS ?? 9);
const MODEL = 'selfie-general';

/** CPU milliseconds of the whole process (this thread and the inference thread) since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function load(path: string): Promise<RgbImage> {
  const meta = await sharp(path).metadata();
  if ((meta.width ?? 0) * (meta.height ?? 0) >= 1.5e6) return decodeRgb(path);
  const { data, info } = await sharp(path).resize(1732, 1155, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

const svc = new InferenceService({ provider: 'cpu' });
const segment = async (im: RgbImage) => (await svc.segment(MODEL, im)).prob;
const photos = process.argv.slice(2);
const images = await Promise.all((photos.length ? photos : [ASTRONAUT]).map(load));
await segment(images[0]); // session start-up is not per image

// Each row runs the stage in this thread with the model on the inference thread, so its parts are timed one by one.
const configs: [string, SemanticOptions][] = [
  ['single pass (no band)', { views: false, subject: false, band: false }],
  ['+ tiles', { views: { tiles: true, person: false }, subject: false, band: false }],
  ['+ tiles + person', { views: {}, subject: false, band: false }],
  ['+ tiles + person + mirror', { views: { mirror: true }, subject: false, band: false }],
  ['+ tiles + person + subject', { band: false }],
  ['+ smart band (default stage)', {}],
  ['default stage, views and band at 512', { views: { workingSide: 512 }, band: { planSide: 512 } }],
];
const REFERENCE = 'single pass + fixed band, the engine\'s path (reference)';
const WHOLE = "whole stage, the engine's path (one request)";
const rows: Record<string, Record<string, number[]>> = {};
/** Times fn (wall and the process's CPU) into rows[name], with the parts it reports. */
async function measure(name: string, fn: () => Promise<Record<string, number> | void> | Record<string, number> | void): Promise<void> {
  const c = process.cpuUsage();
  const t = performance.now();
  const parts = await fn();
  const row = (rows[name] ??= { total: [], cpu: [] });
  row.total.push(performance.now() - t);
  row.cpu.push(cpuMs(c));
  for (const [k, v] of Object.entries(parts ?? {})) (row[k] ??= []).push(v);
}
for (let run = 0; run < RUNS; run++) {
  for (const image of images) {
    // A fresh copy each time: the working image is cached per pixel buffer, as it is once per photo in a batch.
    const fresh = () => ({ ...image, data: Uint8Array.from(image.data) });
    // Today's default against what it replaced, both as the engine runs them: the stage in one
    // request on the inference thread; the fixed band (the pipeline pool's job) here.
    let im = fresh();
    await measure(REFERENCE, async () => {
      const { stage } = await svc.semantic(MODEL, im, { views: false, subject: false, band: false });
      const t = performance.now();
      makeTrimap(stage.prob, im.width, im.height);
      return { ...stage.ms, 'fixed band': performance.now() - t };
    });
    im = fresh();
    await measure(WHOLE, async () => (await svc.semantic(MODEL, im)).stage.ms);
    for (const [label, options] of configs) {
      im = fresh();
      await measure(label, async () => (await semanticStage(segment, im, options)).ms);
    }
    im = fresh();
    await measure("working image (in the views' scale)", () => void workingImage(im, DEFAULT_MULTI_VIEW.workingSide));
  }
}
const ref = median(rows[REFERENCE].total);
const refCpu = median(rows[REFERENCE].cpu);
console.log(`semantic stage, ms per ${images[0].width}×${images[0].height} image (median of ${RUNS}), ${MODEL} on CPU; × against the reference of the same run`);
for (const [label, parts] of Object.entries(rows)) {
  const detail = Object.entries(parts)
    .filter(([k]) => k !== 'total' && k !== 'cpu')
    .map(([k, v]) => `${k} ${median(v).toFixed(1)}`)
    .join(', ');
  const total = median(parts.total);
  const cpu = median(parts.cpu);
  console.log(`${label.padEnd(56)} wall ${total.toFixed(1).padStart(6)} ms ×${(total / ref).toFixed(2)}  cpu ${cpu.toFixed(1).padStart(6)} ms ×${(cpu / refCpu).toFixed(2)}${detail ? `  (wall: ${detail})` : ''}`);
}
const whole = rows[WHOLE];
console.log(
  `whole stage ÷ single pass + fixed band: wall ×${(median(whole.total) / ref).toFixed(2)}, cpu ×${(median(whole.cpu) / refCpu).toFixed(2)}` +
    ` (budget: 60 ms per 2 MP photo; wall ${median(whole.total).toFixed(1)} ms, cpu ${median(whole.cpu).toFixed(1)} ms; load ${os.loadavg()[0].toFixed(1)})`,
);
await svc.close();
