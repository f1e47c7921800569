/**
 * End-to-end throughput of `shm-studio matte` on a folder of 1-megapixel photos: automatic
 * trimap (selfie model) + refinement + decontamination + PNG, per stage, for closed-form and
 * guided refinement. Reference measured in the same run: sharp decoding each photo and encoding
 * an RGBA PNG of it (the I/O floor of the command). Run: npx tsx bench/matte-cli.ts [images] [reps] [concurrency]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { main } from '../src/cli/main';
import type { MatteSummary } from '../src/cli/matte-command';

const count = Number(process.argv[2] ?? 8);
const reps = Number(process.argv[3] ?? 3);
/** Images in flight (the CLI's --concurrency); default the CLI's own. */
const concurrency = process.argv[4];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-bench-'));
const inDir = path.join(root, 'in');
fs.mkdirSync(inDir);
const astronaut = path.resolve('../shared/fixtures/astronaut.png');
const source = fs.existsSync(astronaut) ? astronaut : '/work/shared/fixtures/astronaut.png';
for (let i = 0; i < count; i++) {
  // 1024×1024 (1.05 MP) variants, so no two inputs are identical.
  let s = sharp(source).resize(1024, 1024).modulate({ brightness: 0.9 + 0.03 * i, hue: 7 * i });
  if (i % 2) s = s.flop();
  await s.jpeg({ quality: 90 }).toFile(path.join(inDir, `photo${i}.jpg`));
}

async function reference(): Promise<number> {
  const t0 = performance.now();
  for (const f of fs.readdirSync(inDir)) {
    const { data, info } = await sharp(path.join(inDir, f)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
  }
  return (performance.now() - t0) / count;
}

async function matte(refine: string): Promise<MatteSummary> {
  const out = fs.mkdtempSync(path.join(root, 'out-'));
  let text = '';
  const stdout = new Writable({ write: (chunk, _enc, cb) => ((text += chunk.toString()), cb()) });
  const args = ['matte', inDir, '--out', out, '--refine', refine, '--json', ...(concurrency ? ['--concurrency', concurrency] : [])];
  const code = await main(args, { stdout, stderr: process.stderr });
  if (code !== 0) throw new Error(`matte --refine ${refine} exited ${code}: ${text}`);
  return JSON.parse(text) as MatteSummary;
}

console.log(`matte-cli bench: ${count} photos of 1024×1024, ${reps} runs each, ${os.availableParallelism()} cores, concurrency ${concurrency ?? 'default'}`);
const refMs: number[] = [];
const results: Record<string, MatteSummary[]> = { 'closed-form': [], guided: [] };
for (let r = 0; r < reps; r++) {
  refMs.push(await reference());
  for (const m of Object.keys(results)) results[m].push(await matte(m));
}
const ref = median(refMs);
console.log(`reference (sharp decode + RGBA PNG encode): ${ref.toFixed(0)} ms/image (${(1000 / ref).toFixed(2)} images/s)`);
for (const [m, runs] of Object.entries(results)) {
  const rate = median(runs.map((r) => r.imagesPerSec));
  const stage = (k: keyof MatteSummary['stageMs']) => median(runs.map((r) => r.stageMs[k] / r.ok)).toFixed(0);
  console.log(
    `${m.padEnd(12)} ${rate.toFixed(2)} images/s (runs: ${runs.map((r) => r.imagesPerSec.toFixed(2)).join(', ')}), ` +
      `${(1000 / rate / ref).toFixed(1)}× the reference time per image; ` +
      `stage ms/image (summed over concurrent images): decode ${stage('decode')}, segment ${stage('segment')}, trimap ${stage('trimap')}, ` +
      `refine ${stage('refine')}, foreground ${stage('foreground')}, encode ${stage('encode')}`,
  );
}
fs.rmSync(root, { recursive: true, force: true });
