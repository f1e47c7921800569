/**
 * npx tsx bench/foreground-photos.ts [runs] [--cold rounds] [photo...]: estimateForeground on real photos with the
 * alpha the automatic pipeline hands it (`shm-studio matte`'s closed-form alpha, known pixels pinned
 * to exactly 0 and 1), single thread, warm. The current version is timed against the frozen stop-20
 * copy (bench/reference/foreground-ml-stop20.ts) in the same run, alternated call by call, by
 * process CPU time; it prints both medians, the ratio, and the 8-bit difference of the new output
 * (max and mean over pixels with alpha > 0) from the stop-20 copy and from the pre-optimisation
 * reference (bench/reference/foreground-ml.ts, the one the unit tests bound).
 *
 * --cold: as a pipeline thread runs it instead, each version in a fresh process per round
 * (alternating which goes first): the thread's warm-up (two small composites), then every photo
 * once, so V8's tiers and the buffers' first allocations count; prints CPU ms per photo.
 *
 * Default photos: the three development portraits (../shared/dev/portraits/img, 1.6 MP)
 * (1.7 MP). Each photo's image and alpha are made once through the real engine (segmenter, trimap,
 * closed-form) and cached raw under the temp folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { RgbImage } from '../src/engine/imaging/raster.js';
import { estimateForeground } from '../src/engine/matting/foreground/foreground-ml.js';
import { fileURLToPath } from 'node:url';
import { warmUpComposite } from '../src/engine/matting/workers/warm-up.js';
import { median, printTable, runIsolated } from './lib/measure.js';
import { estimateForeground as referenceForeground } from './reference/foreground-ml.js';
import { estimateForeground as stop20Foreground } from './reference/foreground-ml-stop20.js';

const SCRIPT = fileURLToPath(import.meta.url);
const CACHE = path.join(tmpdir(), 'shm-bench-foreground-photos');
const PORTRAITS = path.resolve('../shared/dev/portraits/img');
const args = process.argv.slice(2);
const scenario = args.includes('--scenario') ? args.splice(args.indexOf('--scenario'), 2)[1] : undefined;
const COLD = args.includes('--cold') ? Number(args.splice(args.indexOf('--cold'), 2)[1]) : 0;
const RUNS = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 7;
// A cold scenario's parent passes its photos in the environment.
const photos = process.env.FG_PHOTOS ? (JSON.parse(process.env.FG_PHOTOS) as string[]) : args.length > 0 ? args : readdirSync(PORTRAITS).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(PORTRAITS, f));
const versions = { 'stop-20': stop20Foreground, new: estimateForeground };

interface Case {
  name: string;
  image: RgbImage;
  alpha: Float32Array;
}

const cacheKey = (photo: string) => path.join(CACHE, photo.replace(/[^A-Za-z0-9]+/g, '_'));

/** The photo's image and the alpha matteImage passes to estimateForeground, from the cache or made now. */
async function load(photos: string[]): Promise<Case[]> {
  const missing = photos.filter((p) => !existsSync(`${cacheKey(p)}.json`));
  if (missing.length > 0) {
    const { createDefaultEngine } = await import('../src/engine/pipeline/engine.js');
    const { matteImage } = await import('../src/engine/pipeline/matte.js');
    const { decodeRgb } = await import('../src/engine/imaging/decode.js');
    const engine = createDefaultEngine({ provider: 'auto' });
    mkdirSync(CACHE, { recursive: true });
    for (const photo of missing) {
      const image = await decodeRgb(photo);
      let seen: Float32Array | undefined;
      // The engine as the CLI gets it, but the foreground step records its input instead of running.
      const recording = { ...engine, estimateForeground: (_: RgbImage, alpha: Float32Array) => ((seen = alpha.slice()), Promise.resolve(new Uint8Array(0))) };
      await matteImage({ image, refine: 'closed-form', modelId: 'selfie-general' }, recording);
      if (!seen) throw new Error(`${photo}: the pipeline did not reach the foreground step`);
      writeFileSync(`${cacheKey(photo)}.rgb`, image.data);
      writeFileSync(`${cacheKey(photo)}.alpha`, new Uint8Array(seen.buffer));
      writeFileSync(`${cacheKey(photo)}.json`, JSON.stringify({ width: image.width, height: image.height }));
    }
    await engine.close();
  }
  return photos.map((photo) => {
    const { width, height } = JSON.parse(readFileSync(`${cacheKey(photo)}.json`, 'utf8')) as { width: number; height: number };
    const data = new Uint8Array(readFileSync(`${cacheKey(photo)}.rgb`));
    const bytes = readFileSync(`${cacheKey(photo)}.alpha`);
    const alpha = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { name: path.basename(photo), image: { width, height, data }, alpha };
  });
}

/** CPU ms of this process (user + system) for one call: the bench is single-threaded. */
function cpuMs(fn: () => unknown): number {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

/** 8-bit differences over pixels with alpha > 0. */
function diff(a: Uint8Array, b: Uint8Array, alpha: Float32Array): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < alpha.length; i++) {
    if (!(alpha[i] > 0)) continue;
    for (let ch = 0; ch < 3; ch++) {
      const d = Math.abs(a[3 * i + ch] - b[3 * i + ch]);
      if (d > max) max = d;
      sum += d;
      n++;
    }
  }
  return { max, mean: sum / n };
}

/** Scenario 'cold:<version>': a fresh thread's warm-up, then each photo once; CPU ms per photo. */
if (scenario) {
  const fn = versions[scenario.split(':')[1] as keyof typeof versions];
  const cases = await load(photos);
  for (const side of [128, 192]) {
    const c = warmUpComposite(side, side);
    fn(c.image, c.alpha);
  }
  console.log(JSON.stringify(cases.map(({ image, alpha }) => cpuMs(() => fn(image, alpha)))));
  process.exit(0);
}

const cases = await load(photos);
const load0 = loadavg()[0];
if (COLD > 0) {
  const per: Record<string, number[][]> = { 'stop-20': [], new: [] };
  for (let round = 0; round < COLD; round++) {
    const order = round % 2 === 0 ? (['stop-20', 'new'] as const) : (['new', 'stop-20'] as const);
    for (const v of order) per[v].push(await runIsolated<number[]>(SCRIPT, `cold:${v}`, { FG_PHOTOS: JSON.stringify(photos) }));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rows = [...Object.keys(per)].map((v) => [v, ...per[v].map((ms) => mean(ms).toFixed(1)), `first ${median(per[v].map((ms) => ms[0])).toFixed(0)}`]);
  console.log(`cold: mean CPU ms per photo over ${cases.length} photos, one fresh process per version and round; load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
  printTable(['version', ...per.new.map((_, r) => `round ${r + 1}`), 'first photo (median)'], rows);
  process.exit(0);
}
const rows: (string | number)[][] = [];
for (const { name, image, alpha } of cases) {
  const n = alpha.length;
  let soft = 0;
  for (let i = 0; i < n; i++) if (alpha[i] > 0 && alpha[i] < 1) soft++;
  const old: number[] = [];
  const now: number[] = [];
  stop20Foreground(image, alpha);
  estimateForeground(image, alpha);
  for (let r = 0; r < RUNS; r++) {
    old.push(cpuMs(() => stop20Foreground(image, alpha)));
    now.push(cpuMs(() => estimateForeground(image, alpha)));
  }
  const out = estimateForeground(image, alpha);
  const vsStop20 = diff(out, stop20Foreground(image, alpha), alpha);
  const vsReference = diff(out, referenceForeground(image, alpha), alpha);
  const stop20VsReference = diff(stop20Foreground(image, alpha), referenceForeground(image, alpha), alpha);
  rows.push([
    `${name} ${image.width}x${image.height} soft ${((100 * soft) / n).toFixed(1)} %`,
    median(old).toFixed(1),
    median(now).toFixed(1),
    (median(old) / median(now)).toFixed(2),
    `${vsStop20.max} / ${vsStop20.mean.toExponential(1)}`,
    `${vsReference.max} / ${vsReference.mean.toExponential(1)} (stop 20: ${stop20VsReference.max} / ${stop20VsReference.mean.toExponential(1)})`,
  ]);
}
console.log(`median CPU ms of ${RUNS} runs each, alternated; load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
printTable(['photo', 'stop-20 ms', 'new ms', 'speed-up', 'vs stop 20: max / mean levels', 'vs pre-optimisation reference'], rows);
