/**
 * npx tsx bench/large-photo.ts [sizes...]: closed-form refinement of large photos (issue 15),
 * each size in a fresh process so its peak RSS is its own. For 2, 12 and 48 MP (default) it runs
 * the studio's path (a MattingPool of one worker, as for one photo; closed-form defaults: the 1 MP
 * working solve, guided upsampling, then, from 4 MP up, the unknown band at full resolution in
 * tiles, on the worker and its helper threads) and, as the reference in the
 * same run, the same call stopped after the upsampling (`detail: 'upsample'`, the path before
 * tiles). It prints
 * seconds and CPU seconds per megapixel, the ratio 48 MP / 2 MP, peak RSS against the image-sized
 * buffers, SAD against the true alpha, and how far the progress fraction strays from the share
 * of the time spent (0: a bar that moves exactly with the work).
 *
 * Inputs: synthetic composites I = aF + (1-a)B at 4:3 with exact alpha, a camera-like edge of 3 px,
 * 1 px strands and a band of 0.5 % of the longer side (as the smart band scales), made once by
 * makeLargeComposite and cached raw under the temp folder.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MattingPool, type RefineOptions, sad, unknownMask } from '../src/engine/matting/index.js';
import { makeLargeComposite } from '../test/unit/matting/composites.js';
import { peakRssMb, printTable, runIsolated } from './lib/measure.js';

const SCRIPT = fileURLToPath(import.meta.url);
const CACHE = path.join(tmpdir(), 'shm-bench-large-photo');
const EDGE_PX = 3;
const BAND = 0.005;

function sizeOf(megapixels: number): { width: number; height: number } {
  const width = Math.round(Math.sqrt((megapixels * 1e6 * 4) / 3));
  return { width, height: Math.round((width * 3) / 4) };
}

const file = (mp: number, what: string) => path.join(CACHE, `${mp}mp.${what}`);

/** Scenario 'make:<mp>': the composite's image, trimap and true alpha as raw files. */
function make(mp: number): { unknown: number } {
  const { width, height } = sizeOf(mp);
  const c = makeLargeComposite(width, height, Math.round(BAND * width), { veil: false, edge: EDGE_PX });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(file(mp, 'rgb'), c.image.data);
  writeFileSync(file(mp, 'trimap'), c.trimap);
  writeFileSync(file(mp, 'alpha'), new Uint8Array(c.alpha.buffer));
  return { unknown: unknownMask(c.trimap).reduce((a, b) => a + b, 0) };
}

interface Solve {
  mp: number;
  seconds: number;
  cpuSeconds: number;
  unknownFraction: number;
  /** RSS high-water mark with the inputs loaded, before refining. */
  inputsMb: number;
  peakMb: number;
  sad: number;
  /** Largest gap between the progress fraction and the share of the time spent. */
  progressDrift: number;
  progressEvents: number;
  /** Shares of the time before the upsampling starts and in the tiles (to weigh progress). */
  upsampleShare: number;
  tilesShare: number;
}

type Detail = NonNullable<RefineOptions['detail']>;

/** Scenario '<detail>:<mp>': refine the cached composite and measure. */
async function solve(mp: number, detail: Detail): Promise<Solve> {
  const { width, height } = sizeOf(mp);
  // Buffers as read (a Uint8Array copy would put a second image in the peak).
  const image = { width, height, data: readFileSync(file(mp, 'rgb')) as Uint8Array };
  const trimap = readFileSync(file(mp, 'trimap')) as Uint8Array;
  // As the studio refines one photo: one matting worker (which starts its tile helpers), warmed up
  // on a small tiled photo first, as a running studio's worker is.
  const pool = new MattingPool({ size: 1 });
  const warm = makeLargeComposite(320, 240, 4, { veil: false, edge: 3 });
  await pool.refine(warm.image, warm.trimap, { method: 'closed-form', maxMegapixels: 0.01, detail: 'tiles', tiles: { tile: 64, margin: 16 } });
  const inputsMb = peakRssMb();
  const seen: [number, number][] = [];
  const stageAt: Record<string, number> = {};
  const cpu = process.cpuUsage();
  const t = performance.now();
  const options: RefineOptions = { method: 'closed-form', detail };
  const alpha = await pool.refine(image, trimap, options, {
    onProgress: (p) => {
      const at = performance.now() - t;
      seen.push([at, p.fraction]);
      stageAt[p.stage] ??= at;
    },
  });
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const peakMb = peakRssMb();
  await pool.close();
  const truth = new Float32Array(readFileSync(file(mp, 'alpha')).buffer.slice(0));
  const mask = unknownMask(trimap);
  let unknown = 0;
  for (const m of mask) unknown += m;
  return {
    mp,
    seconds: ms / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    unknownFraction: unknown / (width * height),
    inputsMb,
    peakMb,
    sad: sad(alpha, truth, width, height, mask),
    progressDrift: Math.max(...seen.map(([at, f]) => Math.abs(f - at / ms))),
    progressEvents: seen.length,
    upsampleShare: (stageAt.upsample ?? ms) / ms,
    tilesShare: stageAt.tiles === undefined ? 0 : (ms - stageAt.tiles) / ms,
  };
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--scenario');
  if (arg > 0) {
    const [what, mp] = process.argv[arg + 1].split(':');
    const result = what === 'make' ? make(Number(mp)) : await solve(Number(mp), what as Detail);
    console.log(JSON.stringify(result));
    return;
  }
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  if (!sizes.length) sizes.push(2, 12, 48);
  for (const mp of sizes) {
    if (existsSync(file(mp, 'alpha'))) continue;
    process.stderr.write(`  making the ${mp} MP composite\n`);
    await runIsolated(SCRIPT, `make:${mp}`);
  }
  const loadBefore = loadavg()[0];
  const rows: { tiles: Solve; upsample: Solve }[] = [];
  for (const mp of sizes) {
    process.stderr.write(`  ${mp} MP: the default, then upsample only\n`);
    const tiles = await runIsolated<Solve>(SCRIPT, `auto:${mp}`);
    const upsample = await runIsolated<Solve>(SCRIPT, `upsample:${mp}`);
    rows.push({ tiles, upsample });
  }
  const loadAfter = loadavg()[0];
  const imageMb = (mp: number) => (mp * 1e6 * (3 + 1 + 4)) / 2 ** 20;
  console.log(`\nclosed-form on 4:3 composites (edge ${EDGE_PX} px, band ${BAND * 100} % of the longer side); load ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)}`);
  printTable(
    ['MP', 'unknown %', 's', 's/MP', 'CPU s/MP', 'peak MB', 'inputs MB', 'peak - inputs MB', 'image-sized MB', 'SAD', 'progress drift', 'to upsample', 'tiles', 'ref s/MP', 'ref CPU s/MP', 'ref peak MB', 'ref SAD'],
    rows.map(({ tiles: t, upsample: u }) => [
      t.mp,
      100 * t.unknownFraction,
      t.seconds,
      t.seconds / t.mp,
      t.cpuSeconds / t.mp,
      t.peakMb,
      t.inputsMb,
      t.peakMb - t.inputsMb,
      imageMb(t.mp),
      t.sad,
      t.progressDrift,
      t.upsampleShare,
      t.tilesShare,
      u.seconds / u.mp,
      u.cpuSeconds / u.mp,
      u.peakMb,
      u.sad,
    ]),
  );
  const first = rows[0].tiles;
  const last = rows.at(-1)?.tiles ?? first;
  if (last !== first) {
    console.log(
      `ratio ${last.mp} MP / ${first.mp} MP per megapixel: ${(last.seconds / last.mp / (first.seconds / first.mp)).toFixed(2)} (wall), ${(last.cpuSeconds / last.mp / (first.cpuSeconds / first.mp)).toFixed(2)} (CPU); target <= 1`,
    );
  }
  console.log(
    'ref: the same call with detail "upsample" (working-resolution solve, guided upsampling only). image-sized: image + trimap + alpha, 8 bytes a pixel (the worker holds its own copy of image and trimap). CPU: all threads.',
  );
}

await main();
