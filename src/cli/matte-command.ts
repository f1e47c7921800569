import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ImageError } from '../engine/imaging/errors';
import { checkOutputFolders, mirroredName } from '../engine/export/paths';
import { MAX_DECODABLE_PIXELS } from '../engine/imaging/limits';
import { RateMeter } from '../engine/jobs/rate';
import { scanPaths, type ScannedFile } from '../engine/project/scan';
import { matteImage } from '../engine/pipeline/matte';
import { createDefaultEngine } from '../engine/pipeline/engine';
import { withLeadingImage } from '../engine/pipeline/leading-image';
import type { PipelineEngine, StageTimings } from '../engine/pipeline/types';
import { executionProviders, isExecutionProvider } from '../shared/vocabulary';
import { defaultRefinementMethod } from '../engine/matting/alpha/methods';
import { DEFAULT_SEMANTIC_MODEL } from '../engine/models/defaults';
import { UsageError } from './errors';
import { ProgressBar } from './progress-bar';
import type { CliIo } from './io';
import { MemoryBudget } from '../engine/jobs/memory-budget';
import { defaultConcurrency, forEachConcurrently } from '../engine/jobs/concurrency';
import { inShard, parseShard } from './shard';
import { ResumeManifest } from './resume-manifest';

export interface MatteItemSummary {
  input: string;
  output?: string;
  status: 'ok' | 'failed' | 'skipped';
  ms: number;
  provider?: string;
  error?: string;
  timings?: StageTimings;
}

export interface MatteSummary {
  ok: number;
  failed: number;
  skipped: number;
  /** Inputs passed over because an earlier run finished them (--resume). */
  alreadyDone: number;
  total: number;
  seconds: number;
  imagesPerSec: number;
  /** The process's peak resident memory (MB), worker threads included: what images in flight cost. */
  peakRssMb: number;
  /** Milliseconds summed over images, per stage. */
  stageMs: Required<StageTimings>;
  images: MatteItemSummary[];
}

function findTrimap(dir: string, file: ScannedFile): string | undefined {
  const nested = path.join(dir, mirroredName(file.relPath));
  if (fs.existsSync(nested)) return nested;
  const flat = path.join(dir, `${path.parse(file.path).name}.png`);
  return fs.existsSync(flat) ? flat : undefined;
}

export async function matteCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      trimaps: { type: 'string' },
      refine: { type: 'string', default: defaultRefinementMethod },
      model: { type: 'string', default: DEFAULT_SEMANTIC_MODEL },
      ep: { type: 'string', default: 'auto' },
      'alpha-dir': { type: 'string' },
      'debug-dir': { type: 'string' },
      'band-scale': { type: 'string', default: '1' },
      'keep-all': { type: 'boolean', default: false },
      faces: { type: 'string' },
      'max-megapixels': { type: 'string', default: '100' },
      'no-decontaminate': { type: 'boolean', default: false },
      concurrency: { type: 'string', default: String(defaultConcurrency()) },
      json: { type: 'boolean', default: false },
      shard: { type: 'string' },
      resume: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('matte needs at least one file or folder');
  if (!values.out) throw new UsageError('matte needs --out <dir>');
  if (!isExecutionProvider(values.ep)) throw new UsageError(`--ep must be one of ${executionProviders.join(', ')}`);
  const maxMp = Number(values['max-megapixels']);
  if (!(maxMp > 0) || maxMp * 1e6 > MAX_DECODABLE_PIXELS) {
    throw new UsageError(`--max-megapixels must be a positive number, at most ${Math.floor(MAX_DECODABLE_PIXELS / 1e6)} (the most the image decoder reads)`);
  }
  const concurrency = Number.parseInt(values.concurrency, 10);
  if (!(concurrency >= 1)) throw new UsageError('--concurrency must be at least 1');
  if (values.trimaps && !fs.statSync(values.trimaps, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--trimaps ${values.trimaps} is not a folder`);

  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const scan = await scanPaths(positionals);
  // --shard K/N: this process takes a stable, disjoint slice; the others take the rest.
  scan.files = scan.files.filter((f) => inShard(f.relPath, shard));
  scan.unreadable = scan.unreadable.filter((u) => inShard(u.path, shard));
  for (const u of scan.unreadable) io.stderr.write(`shm-studio: cannot read ${u.path}: ${u.message}\n`);
  // Output folders are held to the studio export's rule (the trimaps count as originals too)
  // before any of them is made.
  const sources = scan.files.map((f) => ({ sourcePath: f.path, relPath: f.relPath }));
  if (values.trimaps) sources.push({ sourcePath: path.join(path.resolve(values.trimaps), 'trimap.png'), relPath: 'trimap.png' });
  const folders = [{ label: '--out', dir: values.out }, ...(values['alpha-dir'] ? [{ label: '--alpha-dir', dir: values['alpha-dir'] }] : [])];
  const [outDir, alphaDir] = checkOutputFolders(folders, sources, { create: true });
  const manifest = new ResumeManifest(outDir, shard);
  const before = scan.files.length;
  if (values.resume) scan.files = scan.files.filter((f) => !manifest.isDone(f.relPath));
  const alreadyDone = before - scan.files.length;

  const bandScale = Number(values['band-scale']);
  if (!(bandScale >= 0)) throw new UsageError('--band-scale must be a number >= 0');
  // --debug-dir: the semantic stage's parts of each photo, under DIR/<relative path without extension>/.
  const debugNames = new WeakMap<Uint8Array, string>();
  const debugDir = values['debug-dir'];
  const debug = debugDir ? new (await import('../engine/semantic/debug')).SemanticDebugWriter(debugDir, (image) => debugNames.get(image.data)) : undefined;
  const semantic = { band: { scale: bandScale }, subject: { keepAll: values['keep-all'] }, ...(values.faces ? { detector: values.faces } : {}) };
  const engine: PipelineEngine = io.engine ?? createDefaultEngine({ provider: values.ep, semantic, ...(debug ? { debug } : {}) });
  // Sessions and worker threads start now rather than one by one behind the first image.
  engine.warmUp?.({ images: scan.files.length, modelId: values.trimaps ? undefined : values.model, refine: values.refine, decontaminate: !values['no-decontaminate'] });
  // sharp (the decoder and the PNG encoder) loads once the warm-up is under way: its ~0.1 s of
  // loading then overlaps the model session's start instead of coming before it.
  const [{ decodeGrey, decodeRgb, probeImage }, { exportImage }] = await Promise.all([import('../engine/imaging/decode'), import('../engine/export/export')]);
  const explicit = new Set(positionals.map((p) => path.resolve(p)));
  const summary: MatteItemSummary[] = scan.unreadable.map((u) => ({ input: u.path, status: 'failed', ms: 0, error: u.message }));
  const bar = new ProgressBar(io.stderr, !values.json && io.stderr.isTTY === true);
  const meter = new RateMeter();
  const t0 = performance.now();
  const taken = new Set<string>();
  let done = 0;
  const total = scan.files.length;

  // Large photos run fewer at a time: images in flight share a slice of the machine's memory.
  const memory = new MemoryBudget();
  // The first image out is what a user waits for (and checks): it refines with a core to itself.
  // Measured (15 photos, 2 x 5 alternating rounds): first image out 2.08-2.13 s instead of
  // 2.42-2.51 s; the whole run within the noise (+0.36 s in one series, -0.02 s in the other).
  // Its segmentation runs alone too: traced under load, three at once on the model thread took
  // about three times as long as the first alone (see the whole-run figures in engine.ts warmUp);
  // and the others' segmentations and refinements wait until it has ended (see withLeadingImage).
  const batchEngine = withLeadingImage(engine);
  const one = async (file: ScannedFile): Promise<MatteItemSummary> => {
    const start = performance.now();
    try {
      const size = await probeImage(file.path, { maxPixels: maxMp * 1e6 });
      return await memory.run(size, undefined, async () => {
        let t = performance.now();
        const image = await decodeRgb(file.path, { maxPixels: maxMp * 1e6 });
        const decodeMs = performance.now() - t;
        if (debugDir) debugNames.set(image.data, file.relPath.replace(/\.[^./\\]*$/, ''));
        let trimap: Uint8Array | undefined;
        if (values.trimaps) {
          const tf = findTrimap(values.trimaps, file);
          if (!tf) throw new Error(`no trimap ${path.parse(file.path).name}.png in ${values.trimaps}`);
          // A damaged trimap fails its photo; only an input that is not an image is passed over.
          const grey = await decodeGrey(tf).catch((err: unknown) => {
            throw new Error(`trimap ${tf}: ${err instanceof Error ? err.message : String(err)}`);
          });
          if (grey.width !== image.width || grey.height !== image.height) throw new Error(`trimap ${tf} is ${grey.width}×${grey.height}; the image is ${image.width}×${image.height}`);
          trimap = grey.data;
        }
        const result = await matteImage({ image, trimap, refine: values.refine, modelId: values.model, decontaminate: !values['no-decontaminate'] }, batchEngine);
        t = performance.now();
        const files = await exportImage(file, result, { outDir, layout: 'mirror', collision: 'overwrite', alphaDir }, taken);
        if (files.main) manifest.record(file.relPath, files.main);
        const timings = { ...result.timings, decode: decodeMs, encode: performance.now() - t };
        const item: MatteItemSummary = { input: file.path, status: 'ok', ms: performance.now() - start, timings };
        if (files.main) item.output = files.main;
        if (result.provider) item.provider = result.provider;
        return item;
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Inside a folder, files that are not images are passed over; named ones are failures.
      if (err instanceof ImageError && err.code === 'NOT_AN_IMAGE' && !explicit.has(file.path)) {
        return { input: file.path, status: 'skipped', ms: performance.now() - start, error: message };
      }
      return { input: file.path, status: 'failed', ms: performance.now() - start, error: message };
    } finally {
      // The first image to end, whatever became of it, lets the others go.
      batchEngine.release();
    }
  };

  try {
    await forEachConcurrently(scan.files, concurrency, async (file) => {
      bar.update({ done, total, ratePerSec: meter.rate(), etaMs: meter.etaMs(total - done), current: file.relPath });
      const item = await one(file);
      summary.push(item);
      done++;
      meter.tick();
      if (item.status === 'failed' && !values.json) {
        bar.finish();
        io.stderr.write(`failed: ${item.input}: ${item.error}\n`);
      }
      bar.update({ done, total, ratePerSec: meter.rate(), etaMs: meter.etaMs(total - done) }, done === total);
    });
  } finally {
    bar.finish();
    if (!io.engine) await engine.close?.();
  }

  const seconds = (performance.now() - t0) / 1000;
  const stageMs = { decode: 0, segment: 0, trimap: 0, refine: 0, foreground: 0, encode: 0 };
  for (const s of summary) for (const k of Object.keys(stageMs) as (keyof StageTimings)[]) stageMs[k] += s.timings?.[k] ?? 0;
  const ok = summary.filter((s) => s.status === 'ok').length;
  const failed = summary.filter((s) => s.status === 'failed').length;
  const skipped = summary.filter((s) => s.status === 'skipped').length;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const result: MatteSummary = { ok, failed, skipped, alreadyDone, total: summary.length, seconds, imagesPerSec: ok / Math.max(seconds, 1e-9), peakRssMb, stageMs, images: summary };
  if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout.write(`${ok} matted, ${failed} failed, ${skipped} skipped${alreadyDone ? `, ${alreadyDone} done before` : ''} in ${seconds.toFixed(1)} s (${result.imagesPerSec.toFixed(2)} images/s) → ${outDir}\n`);
    if (ok) io.stdout.write(`stages (ms per image): ${Object.entries(stageMs).map(([k, v]) => `${k} ${(v / ok).toFixed(0)}`).join(', ')}\n`);
  }
  // A shard may hold nothing of a small folder: that is a finished slice, not an error.
  return failed === 0 && (ok + skipped + alreadyDone > 0 || shard !== undefined) ? 0 : 1;
}
