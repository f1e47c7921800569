/**
 * End-to-end throughput of `shm-studio matte` on folders of 1-megapixel photos: automatic trimap
 * (selfie model) + refinement + decontamination + PNG, per stage, for closed-form and guided
 * refinement. The command runs as users run it: `node bin/shm-studio.mjs matte <folder> --json`
 * in its own process (the built bundle when out/ is fresh, as `npm run bench:matte` makes it).
 *
 * Each method runs on a folder of N photos and one of 2N: the summary's rate includes the
 * batch's start-up (model session, worker threads), the difference of the two is the steady
 * rate (N / (t(2N) - t(N))) and what is left of t(N) is the start-up.
 * Reference measured in the same run: sharp decoding each photo and encoding an RGBA PNG of it
 * (the I/O floor of the command), one image at a time.
 *
 * PHOTOS=portraits makes the inputs from the development portraits in ../shared/dev/portraits/img
 * (three real 1.6 MP photos, varied like the astronaut; development data, never committed)
 * instead of the astronaut: nearer the real portraits of 1.2-2.1 MP.
 *
 * Run: npm run bench:matte -- [N photos, default 12] [runs, default 3] [concurrency]
 * (METHODS=guided to run one method.) BASELINE=<path of another checkout's bin/shm-studio.mjs>
 * runs that build too, alternating with this one in every round, and prints the ratios: a
 * before/after comparison under the same load. Each run's peak RSS comes from the command's own
 * summary (process.resourceUsage, worker threads included); MEMORY=1 also runs the N photos at
 * 1, 2, 3 and 5 images in flight and prints the peak RSS of each.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { MatteSummary } from '../src/cli/matte-command';
import { median } from './lib/measure';

const count = Number(process.argv[2] ?? 12);
const reps = Number(process.argv[3] ?? 3);
/** Images in flight (the CLI's --concurrency); default the CLI's own. */
const concurrency = process.argv[4];
const methods = process.env.METHODS?.split(',') ?? ['closed-form', 'guided'];
/** The builds compared: this checkout's, and a baseline's when BASELINE names its bin. */
const clis: { label: string; bin: string }[] = [{ label: 'this build', bin: path.resolve('bin/shm-studio.mjs') }];
if (process.env.BASELINE) clis.push({ label: 'baseline', bin: path.resolve(process.env.BASELINE) });

/** Whether bin/shm-studio.mjs will run the bundle (fresh) or fall back to the sources (tsx, slower). */
function runsBundle(bin: string): boolean {
  const root = path.resolve(path.dirname(bin), '..');
  const newest = (dir: string): number =>
    Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs)));
  const built = fs.statSync(path.join(root, 'out/main/cli.js'), { throwIfNoEntry: false })?.mtimeMs;
  return built !== undefined && built >= newest(path.join(root, 'src'));
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-bench-'));
const folders = { small: path.join(root, `in-${count}`), large: path.join(root, `in-${2 * count}`) };
for (const dir of Object.values(folders)) fs.mkdirSync(dir);
const astronaut = path.resolve('../shared/fixtures/astronaut.png');
const portraitsDir = path.resolve('../shared/dev/portraits/img');
const usePortraits = process.env.PHOTOS === 'portraits';
if (usePortraits && !fs.existsSync(portraitsDir)) throw new Error(`PHOTOS=portraits needs the development portraits in ${portraitsDir}`);
const sources = usePortraits ? fs.readdirSync(portraitsDir).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(portraitsDir, f)) : [fs.existsSync(astronaut) ? astronaut : '/work/shared/fixtures/astronaut.png'];
for (let i = 0; i < 2 * count; i++) {
  // Portraits at their own size (about 1.6 MP); the astronaut at 1024×1024 (1.05 MP). Each
  // variant differs in brightness, hue and mirroring, so no two inputs are identical.
  let s = sharp(sources[i % sources.length]);
  if (!usePortraits) s = s.resize(1024, 1024);
  s = s.modulate({ brightness: 0.9 + 0.015 * i, hue: 7 * i });
  if (i % 2) s = s.flop();
  const jpeg = await s.jpeg({ quality: 90 }).toBuffer();
  fs.writeFileSync(path.join(folders.large, `photo${i}.jpg`), jpeg);
  if (i < count) fs.writeFileSync(path.join(folders.small, `photo${i}.jpg`), jpeg);
}
const firstMeta = await sharp(path.join(folders.small, 'photo0.jpg')).metadata();
const photosLabel = usePortraits ? `development portraits of ${(((firstMeta.width ?? 0) * (firstMeta.height ?? 0)) / 1e6).toFixed(1)} MP` : '1024×1024 photos';

async function reference(): Promise<number> {
  const t0 = performance.now();
  for (const f of fs.readdirSync(folders.small)) {
    const { data, info } = await sharp(path.join(folders.small, f)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
  }
  return (performance.now() - t0) / count;
}

type Run = MatteSummary & { wallSeconds: number; firstSeconds: number };

/** The command's summary, its wall time from spawn to exit, and when its first PNG appeared (s). */
async function matte(bin: string, refine: string, folder: string, inFlight = concurrency): Promise<Run> {
  const out = fs.mkdtempSync(path.join(root, 'out-'));
  const args = [bin, 'matte', folder, '--out', out, '--refine', refine, '--json', ...(inFlight ? ['--concurrency', inFlight] : [])];
  const t0 = performance.now();
  let firstSeconds = Number.NaN;
  const poll = setInterval(() => {
    if (Number.isNaN(firstSeconds) && fs.readdirSync(out).some((f) => f.endsWith('.png') && !f.startsWith('.'))) firstSeconds = (performance.now() - t0) / 1000;
  }, 10);
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 << 20 }).finally(() => clearInterval(poll));
  const wallSeconds = (performance.now() - t0) / 1000;
  fs.rmSync(out, { recursive: true, force: true });
  return { ...(JSON.parse(stdout) as MatteSummary), wallSeconds, firstSeconds };
}

console.log(
  `matte-cli bench: folders of ${count} and ${2 * count} ${photosLabel}, ${reps} runs each, ${os.availableParallelism()} cores, ` +
    `concurrency ${concurrency ?? 'default'}; ` +
    clis.map((c) => `${c.label} ${c.bin} (${runsBundle(c.bin) ? 'its bundle' : 'from source (tsx): the bundle is older than src/'})`).join('; '),
);
const refMs: number[] = [];
type Pair = { small: Run; large: Run };
/** results[cli label][method]: one pair of runs per round. */
const results: Record<string, Record<string, Pair[]>> = Object.fromEntries(clis.map((c) => [c.label, Object.fromEntries(methods.map((m) => [m, [] as Pair[]]))]));
for (let r = 0; r < reps; r++) {
  refMs.push(await reference());
  for (const m of methods) {
    // The builds take turns, first one then the other, so a change in the machine's load hits both alike.
    for (const c of r % 2 ? [...clis].reverse() : clis) results[c.label][m].push({ small: await matte(c.bin, m, folders.small), large: await matte(c.bin, m, folders.large) });
  }
}
const ref = median(refMs);
console.log(`reference (sharp decode + RGBA PNG encode, one at a time): ${ref.toFixed(0)} ms/image (${(1000 / ref).toFixed(2)} images/s)`);
const f2 = (x: number) => x.toFixed(2);
/** The medians a comparison needs. */
const whole = (runs: Pair[]) => median(runs.map((r) => count / r.small.wallSeconds));
const first = (runs: Pair[]) => median(runs.map((r) => r.small.firstSeconds));
const peak = (runs: Pair[], size: 'small' | 'large') => {
  const mb = runs.map((r) => r[size].peakRssMb).filter((x) => x !== undefined);
  return mb.length ? `${median(mb).toFixed(0)} MB` : 'not reported';
};
for (const c of clis) {
  if (clis.length > 1) console.log(`-- ${c.label}`);
  for (const [m, runs] of Object.entries(results[c.label])) {
    const steady = runs.map((r) => count / (r.large.seconds - r.small.seconds));
    const startup = runs.map((r, i) => r.small.seconds - count / steady[i]);
    const stage = (k: keyof MatteSummary['stageMs']) => median(runs.map((r) => r.large.stageMs[k] / r.large.ok)).toFixed(0);
    console.log(
      `${m.padEnd(12)} steady ${f2(median(steady))} images/s (runs: ${steady.map(f2).join(', ')}), ${(1000 / median(steady) / ref).toFixed(2)}× the reference time per image; ` +
        `whole batch ${count}: ${f2(median(runs.map((r) => r.small.imagesPerSec)))} images/s, ${2 * count}: ${f2(median(runs.map((r) => r.large.imagesPerSec)))} images/s; ` +
        `start-up ${median(startup).toFixed(2)} s`,
    );
    console.log(
      `${''.padEnd(12)} whole run from spawn to exit, ${count} photos: ${f2(whole(runs))} images/s ` +
        `(${median(runs.map((r) => r.small.wallSeconds)).toFixed(2)} s); first image out ${f2(first(runs))} s after spawn; ` +
        `peak RSS ${peak(runs, 'small')} (${count} photos), ${peak(runs, 'large')} (${2 * count})`,
    );
    console.log(
      `${''.padEnd(12)} stage ms/image (${2 * count} photos, summed over concurrent images): decode ${stage('decode')}, segment ${stage('segment')}, ` +
        `trimap ${stage('trimap')}, refine ${stage('refine')}, foreground ${stage('foreground')}, encode ${stage('encode')}`,
    );
    // The targets, as ratios: at least 2 images/s whole run, the first image out within 1.5 s.
    console.log(`${''.padEnd(12)} against the targets: whole run ${f2(whole(runs) / 2)}× of 2 images/s, first image ${f2(first(runs) / 1.5)}× of 1.5 s`);
  }
}
if (clis.length > 1) {
  for (const m of methods) {
    const [now, base] = clis.map((c) => results[c.label][m]);
    console.log(
      `ratio this build / baseline, ${m}: whole run ${f2(whole(now) / whole(base))}× the images/s, first image out ${f2(first(now) / first(base))}× the time, ` +
        `per round: ${now.map((r, i) => f2(r.small.wallSeconds > 0 ? base[i].small.wallSeconds / r.small.wallSeconds : Number.NaN)).join(', ')}`,
    );
  }
}
if (process.env.MEMORY === '1') {
  // Raw figures: the images' buffers live briefly and the heaps grow and shrink with the
  // collector, so the difference between two runs is noisy (a 1 MP image holds about 30 MB at
  // its peak, see MemoryBudget); what matters is that the peak stays bounded.
  for (const m of methods) {
    const peaks: string[] = [];
    for (const n of [1, 2, 3, 5]) peaks.push(`${n}: ${(await matte(clis[0].bin, m, folders.small, String(n))).peakRssMb} MB`);
    console.log(`${m.padEnd(12)} peak RSS by images in flight (${count} photos): ${peaks.join(', ')}`);
  }
}
fs.rmSync(root, { recursive: true, force: true });

/** Grouped bars per method: steady rate and the two whole-batch rates, against the method's target. */
function chartSvg(): string {
  const targets: Record<string, number> = { 'closed-form': 1, guided: 5 };
  const rows = Object.entries(results[clis[0].label]).map(([m, runs]) => ({
    m,
    target: targets[m],
    bars: [
      ['steady', median(runs.map((r) => count / (r.large.seconds - r.small.seconds)))],
      [`${count} photos`, median(runs.map((r) => r.small.imagesPerSec))],
      [`${2 * count} photos`, median(runs.map((r) => r.large.imagesPerSec))],
    ] as [string, number][],
  }));
  const max = Math.max(...rows.flatMap((r) => [...r.bars.map((b) => b[1]), r.target ?? 0])) * 1.1;
  const x = (v: number) => 170 + (v / max) * 600;
  const parts: string[] = [];
  let y = 50;
  for (const r of rows) {
    parts.push(`<text x="10" y="${y + 14}" font-size="15" font-weight="bold">${r.m}</text>`);
    y += 22;
    const top = y;
    for (const [label, v] of r.bars) {
      parts.push(`<text x="165" y="${y + 15}" font-size="12" text-anchor="end">${label}</text>`);
      parts.push(`<rect x="170" y="${y + 3}" width="${x(v) - 170}" height="16" fill="${label === 'steady' ? '#3a7bd5' : '#9bb8e8'}"/>`);
      parts.push(`<text x="${x(v) + 5}" y="${y + 15}" font-size="12">${v.toFixed(2)}/s</text>`);
      y += 22;
    }
    if (r.target) parts.push(`<line x1="${x(r.target)}" x2="${x(r.target)}" y1="${top}" y2="${y}" stroke="#d33" stroke-width="2"/><text x="${x(r.target) + 3}" y="${top - 2}" font-size="11" fill="#d33">target ${r.target}/s</text>`);
    y += 30;
  }
  const title = `shm-studio matte, ${photosLabel}, ${os.availableParallelism()} cores (images/s, median of ${reps})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="860" height="${y + 10}"><rect width="100%" height="100%" fill="white"/><text x="10" y="24" font-size="15" font-family="sans-serif">${title}</text><g font-family="sans-serif">${parts.join('')}</g></svg>`;
}
const chart = path.resolve('bench/reports/matte-cli.png');
fs.mkdirSync(path.dirname(chart), { recursive: true });
await sharp(Buffer.from(chartSvg())).png().toFile(chart);
console.log(`chart: ${chart}`);
