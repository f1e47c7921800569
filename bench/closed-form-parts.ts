/**
 * npx tsx bench/closed-form-parts.ts [runs]: CPU time of the work around the closed-form solve,
 * single thread, on the path `shm-studio matte` takes (refineAlpha at the 1 MP working cap: the
 * working downscale, the half-resolution start's downscale, the Laplacian of both levels, its
 * restriction to the unknowns, the box filter and coefficients of the guided upsampling), each part timed against
 * its frozen copy in bench/reference/closed-form-parts.ts, interleaved run by run, on the inputs the
 * part really sees; outputs are compared (downscales byte for byte, the Laplacian and system by
 * their largest difference). With BASE=<dir> (a copy of an older tree's src/, e.g.
 * `git archive <commit> src | tar -x -C <dir>`), whole refineAlpha calls of that tree and this one
 * are interleaved too, against NEW=<dir> (the same for another tree; default this one) if given. Such a
 * copy needs this tree's package.json and tsconfig.json beside its src/ (tsx compiles a tree without
 * them for an older target, ~20 % slower) and a node_modules link.
 * Inputs: PHOTOS (default the development portraits, ../shared/dev/portraits/img) with the automatic
 * trimaps of `shm-studio matte PHOTOS --debug-dir TRIMAPS` (TRIMAPS/<name>/trimap.png; by default
 * made once under the temp folder),
 * and COMPOSITES (default the cache of bench/solver-compare.ts). LIMIT caps the inputs of each kind,
 * PARTS (a regular expression) picks the parts timed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { RgbImage, Trimap } from '../src/engine/imaging/raster.js';
import { decodeRgb } from '../src/engine/imaging/decode.js';
import { boxMean } from '../src/engine/matting/filters/box-filter.js';
import { buildCfLaplacian } from '../src/engine/matting/laplacian/laplacian.js';
import { restrictToUnknown } from '../src/engine/matting/laplacian/stencil-system.js';
import { downscaleRgb, downscaleTrimap, rgbPlanes, workingSize } from '../src/engine/matting/resample.js';
import { closedFormAlpha, refineAlpha } from '../src/engine/matting/index.js';
import { guidedCoefficientsForBand } from '../src/engine/matting/filters/guided-band.js';
import { alphaFromTrimap, isKnown } from '../src/engine/matting/validate.js';
import * as reference from './reference/closed-form-parts.js';
import { median, printTable } from './lib/measure.js';

const RUNS = Number(process.argv[2] ?? 5);
const LIMIT = Number(process.env.LIMIT ?? 15);
const PHOTOS = process.env.PHOTOS ?? path.resolve('../shared/dev/portraits/img');
const TRIMAPS = process.env.TRIMAPS ?? path.join(tmpdir(), 'shm-bench-closed-form-parts-trimaps');
const PARTS = new RegExp(process.env.PARTS ?? '.');
const COMPOSITES = process.env.COMPOSITES ?? path.join(tmpdir(), 'shm-bench-solver');

interface Input {
  name: string;
  image: RgbImage;
  trimap: Trimap;
}

async function photoInputs(): Promise<Input[]> {
  if (!existsSync(PHOTOS)) return [];
  if (!existsSync(TRIMAPS)) {
    // The automatic trimaps, as the command line makes them (its --debug-dir writes each photo's).
    console.log(`making the automatic trimaps of ${PHOTOS} under ${TRIMAPS}`);
    execFileSync(process.execPath, ['bin/shm-studio.mjs', 'matte', PHOTOS, '--out', path.join(TRIMAPS, '.cut-outs'), '--debug-dir', TRIMAPS], { stdio: 'inherit' });
  }
  const inputs: Input[] = [];
  for (const file of readdirSync(PHOTOS).sort()) {
    const trimapFile = path.join(TRIMAPS, path.parse(file).name, 'trimap.png');
    if (!existsSync(trimapFile) || inputs.length >= LIMIT) continue;
    const image = await decodeRgb(path.join(PHOTOS, file));
    const { data, info } = await sharp(trimapFile).greyscale().raw().toBuffer({ resolveWithObject: true });
    if (info.width !== image.width || info.height !== image.height) throw new Error(`${file}: trimap ${info.width}x${info.height}, photo ${image.width}x${image.height}`);
    inputs.push({ name: file, image, trimap: new Uint8Array(data) });
  }
  return inputs;
}

function compositeInputs(): Input[] {
  if (!existsSync(COMPOSITES)) return [];
  return readdirSync(COMPOSITES)
    .filter((f) => f.endsWith('.rgb'))
    .sort()
    .slice(0, LIMIT)
    .map((f) => {
      const name = f.slice(0, -'.rgb'.length);
      const [, w, h] = /-(\d+)x(\d+)-/.exec(name) ?? [];
      const image = { width: Number(w), height: Number(h), data: new Uint8Array(readFileSync(path.join(COMPOSITES, f))) };
      return { name, image, trimap: new Uint8Array(readFileSync(path.join(COMPOSITES, `${name}.trimap`))) };
    });
}

/** CPU ms (this process, user + system) of one call. */
async function cpuMs(fn: () => unknown): Promise<number> {
  const t = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

let kindNow = '';
const totals = new Map<string, { old: number[]; now: number[]; checks: Set<string> }>();

/** Times old and new alternately (after one untimed call each) and adds the medians to the part's totals. */
async function pair(part: string, old: () => unknown, now: () => unknown, check: string): Promise<void> {
  if (!PARTS.test(part)) return;
  await old();
  await now();
  const a: number[] = [];
  const b: number[] = [];
  // Which goes first alternates too: the second of a pair pays for the first one's garbage.
  for (let i = 0; i < RUNS; i++) {
    if (i % 2) {
      b.push(await cpuMs(now));
      a.push(await cpuMs(old));
    } else {
      a.push(await cpuMs(old));
      b.push(await cpuMs(now));
    }
  }
  const key = `${part}, ${kindNow}`;
  const entry = totals.get(key) ?? { old: [], now: [], checks: new Set<string>() };
  entry.old.push(median(a));
  entry.now.push(median(b));
  entry.checks.add(check);
  totals.set(key, entry);
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): string {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
  return diff ? `${diff} values differ` : 'identical';
}

/** Largest |a - b| relative to the largest |a|. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(a[i]));
  }
  return d / m;
}

function unknownMask(trimap: Trimap): Uint8Array {
  return Uint8Array.from(trimap, (t) => (isKnown(t) ? 0 : 1));
}

async function laplacianParts(level: string, image: RgbImage, trimap: Trimap): Promise<void> {
  const mask = unknownMask(trimap);
  const lo = reference.buildCfLaplacian(image, mask);
  const ln = buildCfLaplacian(image, mask);
  await pair(`buildCfLaplacian (${level})`, () => reference.buildCfLaplacian(image, mask), () => buildCfLaplacian(image, mask), `max rel diff ${relDiff(lo.values, ln.values).toExponential(1)}`);
  const known = alphaFromTrimap(trimap, 0.5);
  const so = reference.restrictToUnknown(ln, known, 1e-9, 0.5);
  const sn = restrictToUnknown(ln, known, 1e-9, 0.5);
  const check = [same(so.system.cols, sn.system.cols), same(so.system.values, sn.system.values), same(so.rhs, sn.rhs)].every((c) => c === 'identical') ? 'identical' : 'DIFFERENT';
  await pair(`restrictToUnknown (${level})`, () => reference.restrictToUnknown(ln, known, 1e-9, 0.5), () => restrictToUnknown(ln, known, 1e-9, 0.5), check);
}

async function measure(input: Input, kind: string): Promise<void> {
  const { image, trimap } = input;
  const { width, height } = image;
  kindNow = kind;
  const low = workingSize(width, height, 1);
  let work = image;
  let workTrimap = trimap;
  if (low.scale !== 1) {
    work = downscaleRgb(image, low.width, low.height);
    workTrimap = downscaleTrimap(trimap, width, height, low.width, low.height);
    await pair('downscaleRgb (working)', () => reference.downscaleRgb(image, low.width, low.height), () => downscaleRgb(image, low.width, low.height), same(reference.downscaleRgb(image, low.width, low.height).data, work.data));
    await pair('downscaleTrimap (working)', () => reference.downscaleTrimap(trimap, width, height, low.width, low.height), () => downscaleTrimap(trimap, width, height, low.width, low.height), same(reference.downscaleTrimap(trimap, width, height, low.width, low.height), workTrimap));
  }
  const hw = work.width >> 1;
  const hh = work.height >> 1;
  const half = downscaleRgb(work, hw, hh);
  const halfTrimap = downscaleTrimap(workTrimap, work.width, work.height, hw, hh);
  await pair('downscaleRgb (half)', () => reference.downscaleRgb(work, hw, hh), () => downscaleRgb(work, hw, hh), same(reference.downscaleRgb(work, hw, hh).data, half.data));
  await pair('downscaleTrimap (half)', () => reference.downscaleTrimap(workTrimap, work.width, work.height, hw, hh), () => downscaleTrimap(workTrimap, work.width, work.height, hw, hh), same(reference.downscaleTrimap(workTrimap, work.width, work.height, hw, hh), halfTrimap));
  await laplacianParts('half', half, halfTrimap);
  await laplacianParts('working', work, workTrimap);

  // The guided upsampling's 13 box means, here over the whole working image at radius 1.
  const n = work.width * work.height;
  const planes = rgbPlanes(work);
  const outs = [new Float32Array(n), new Float32Array(n)];
  const tmp = new Float32Array(n);
  const colSum = new Float64Array(work.width);
  const inv = new Float64Array(work.width);
  const boxes = (f: typeof boxMean, out: Float32Array) => {
    for (let k = 0; k < 13; k++) f(planes[k % 3], work.width, work.height, 1, out, tmp, colSum, inv);
  };
  boxes(reference.boxMean, outs[0]);
  boxes(boxMean, outs[1]);
  await pair('boxMean x13 (working, r=1)', () => boxes(reference.boxMean, outs[0]), () => boxes(boxMean, outs[1]), same(outs[0], outs[1]));

  if (low.scale !== 1 && PARTS.test('guidedCoefficientsForBand')) {
    // The guided upsampling's coefficients, of the working-resolution answer, as refineAlpha computes them.
    // The reference took the working image's planes (rgbPlanes, timed with it); today's takes the image.
    const { alpha } = await closedFormAlpha(work, workTrimap);
    const old = () => reference.guidedCoefficientsForBand(rgbPlanes(work), alpha, work.width, work.height, 1, 1e-5, image, trimap);
    const now = () => guidedCoefficientsForBand(work, alpha, work.width, work.height, 1, 1e-5, image, trimap);
    const a = old();
    const b = now();
    const check = (['ar', 'ag', 'ab', 'b'] as const).map((k) => same(a[k], b[k])).every((c) => c === 'identical') ? 'identical' : 'DIFFERENT';
    await pair('rgbPlanes + guidedCoefficientsForBand', old, now, check);
  }

  if (baseRefine) {
    const options = { method: 'closed-form' } as const;
    const a = await baseRefine(image, trimap, options);
    const b = await newRefine(image, trimap, options);
    await pair('refineAlpha (whole)', () => baseRefine(image, trimap, options), () => newRefine(image, trimap, options), `max |d alpha| ${relDiff(a, b).toExponential(1)}`);
  }
}

type Refine = typeof refineAlpha;
const treeRefine = async (dir: string): Promise<Refine> => ((await import(path.resolve(dir, 'src/engine/matting/index.ts'))) as { refineAlpha: Refine }).refineAlpha;
const baseRefine = process.env.BASE ? await treeRefine(process.env.BASE) : undefined;
const newRefine = process.env.NEW ? await treeRefine(process.env.NEW) : refineAlpha;

const started = loadavg()[0];
const photos = await photoInputs();
const composites = compositeInputs();
for (const input of photos) await measure(input, 'photos');
for (const input of composites) await measure(input, 'composites');
console.log(`${photos.length} photos, ${composites.length} composites; median CPU ms of ${RUNS} interleaved runs per input, summed over the inputs; load ${started.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
const rows = [...totals].map(([part, t]) => {
  const old = t.old.reduce((s, v) => s + v, 0);
  const now = t.now.reduce((s, v) => s + v, 0);
  return [part, old.toFixed(0), now.toFixed(0), (old / now).toFixed(2), [...t.checks].join('; ')];
});
printTable(['part', 'reference ms', 'new ms', 'speed-up', 'check'], rows);
