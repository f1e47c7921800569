/**
 * npx tsx bench/semantic.ts [photo...] — ms per image of each part of the automatic trimap's
 * semantic stage on 2 MP photos: one full-frame pass (today's reference, measured in the same run)
 * against the views, subject selection and smart band. Default photo: the astronaut, upscaled to
 * 1732×1155 (2 MP). RUNS (default 9) repetitions; medians of wall time and of the process's CPU
 * time (this thread and the inference thread: steadier than wall time on a shared machine); the
 * ratios are against the single pass of the same run.
 */
import sharp from 'sharp';
import { decodeRgb } from '../src/engine/imaging/decode.js';
import type { RgbImage } from '../src/engine/imaging/raster.js';
import { InferenceService } from '../src/engine/inference/service.js';
import { makeTrimap } from '../src/engine/matting/trimap/trimap.js';
import { semanticProbability, smartTrimap, type SemanticOptions } from '../src/engine/semantic/index.js';
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

const configs: [string, SemanticOptions][] = [
  ['single pass (reference)', { views: false, subject: false }],
  ['+ tiles', { views: { tiles: true, person: false }, subject: false }],
  ['+ tiles + person', { views: {}, subject: false }],
  ['+ tiles + person + mirror', { views: { mirror: true }, subject: false }],
  ['+ tiles + person + subject', {}],
];
const rows: Record<string, Record<string, number[]>> = {};
for (let run = 0; run < RUNS; run++) {
  for (const image of images) {
    // A fresh copy: the working image is cached per pixel buffer, as it is once per photo in a batch.
    const fresh = { ...image, data: Uint8Array.from(image.data) };
    for (const [label, options] of configs) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = await semanticProbability(segment, { ...fresh, data: label.startsWith('single') ? fresh.data : Uint8Array.from(fresh.data) }, options);
      const parts = (rows[label] ??= {});
      (parts.total ??= []).push(performance.now() - t0);
      (parts.cpu ??= []).push(cpuMs(c0));
      for (const [k, v] of Object.entries(r.ms)) (parts[k] ??= []).push(v);
      if (label.endsWith('subject')) {
        const measure = (name: string, fn: () => unknown) => {
          const c = process.cpuUsage();
          const t = performance.now();
          fn();
          const row = (rows[name] ??= { total: [], cpu: [] });
          row.total.push(performance.now() - t);
          row.cpu.push(cpuMs(c));
        };
        measure('smart band', () => smartTrimap(r.prob, fresh));
        const c = process.cpuUsage();
        const t = performance.now();
        const whole = await svc.semantic(MODEL, { ...fresh, data: Uint8Array.from(fresh.data) });
        const row = (rows["whole stage, the engine's path (one request)"] ??= { total: [], cpu: [] });
        row.total.push(performance.now() - t);
        row.cpu.push(cpuMs(c));
        for (const [k, v] of Object.entries(whole.stage.ms)) (row[k] ??= []).push(v);
        measure('fixed band (reference)', () => makeTrimap(r.prob, fresh.width, fresh.height));
        measure("working image (in the views' scale)", () => workingImage(fresh, 512));
      }
    }
  }
}
const ref = median(rows['single pass (reference)'].total);
const refCpu = median(rows['single pass (reference)'].cpu);
console.log(`semantic stage, ms per ${images[0].width}×${images[0].height} image (median of ${RUNS}), ${MODEL} on CPU`);
for (const [label, parts] of Object.entries(rows)) {
  const detail = Object.entries(parts)
    .filter(([k]) => k !== 'total' && k !== 'cpu')
    .map(([k, v]) => `${k} ${median(v).toFixed(1)}`)
    .join(', ');
  const total = median(parts.total);
  const cpu = median(parts.cpu);
  console.log(`${label.padEnd(38)} wall ${total.toFixed(1).padStart(6)} ms ×${(total / ref).toFixed(2)}  cpu ${cpu.toFixed(1).padStart(6)} ms ×${(cpu / refCpu).toFixed(2)}${detail ? `  (wall: ${detail})` : ''}`);
}
await svc.close();
