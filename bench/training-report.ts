/**
 * npx tsx bench/training-report.ts [--images 64] [--heldout 8] [--size 128] [--epochs 40] [--patch 96] [--batch 8] [--uncorrected] [--out bench/reports/training]
 *
 * The learning studio's loop on synthetic people with exact alpha (training/make_synthetic.py): a
 * project of them; a simulated retoucher (bench/lib/retoucher.ts) corrects the automatic trimap
 * of every image but --heldout ones through the studio's brush (trimap.stroke), each image is
 * refined, the studio trains on the corrected images (its default: real trainer, CPU), then the
 * before/after report on the images it did not learn from, twice: against the user's alpha (what
 * the dialog shows) and against the exact alpha. Prints both tables, the retoucher's work and the
 * run's throughput; montages and summary.md (the command, the load, both tables) go to --out.
 *
 * The defaults train 45 corrected images (11 more validate) for 40 epochs: about 11 minutes on 2
 * CPU cores shared at load 13-17 (`--images 40 --epochs 25`: 1.5 to 4 minutes, a smaller win).
 * --uncorrected: the same images, trimaps left as the automatic stage made them (the comparison:
 * what the pair learns from the uncorrected automatic alphas).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeGrey } from '../src/engine/imaging/decode.js';
import { normaliseTrimap } from '../src/shared/strokes.js';
import { definiteMistakes, retouchStrokes } from './lib/retoucher.js';
import { createStudio } from '../src/engine/studio.js';
import { openProject } from '../src/engine/project/index.js';
import { createDefaultEngine } from '../src/engine/pipeline/engine.js';
import { beforeAfterReport, reportTable } from '../src/engine/training/report.js';
import { resolvePython } from '../src/engine/training/python.js';
import type { EventName, Events, TrainingStatus } from '../src/shared/contract.js';

const { values: a } = parseArgs({
  options: {
    images: { type: 'string', default: '64' },
    heldout: { type: 'string', default: '8' },
    uncorrected: { type: 'boolean', default: false },
    batch: { type: 'string', default: '8' },
    size: { type: 'string', default: '128' },
    epochs: { type: 'string', default: '40' },
    patch: { type: 'string', default: '96' },
    out: { type: 'string', default: 'bench/reports/training' },
  },
});
// Everything printed also goes to summary.md in --out, under the command and the load.
const said: string[] = [];
const say = (text: string) => {
  console.log(text);
  said.push(text);
};
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-bench-training-'));
const data = path.join(root, 'synthetic');
execFileSync(resolvePython(), ['training/make_synthetic.py', '--out', data, '--count', a.images, '--size', a.size, '--val_fraction', '0'], { stdio: 'inherit' });
const models = path.join(root, 'models');
fs.mkdirSync(models);
for (const f of ['selfie-general.json', 'selfie-general.onnx']) fs.copyFileSync(path.join('models', f), path.join(models, f));

const events: { event: EventName; payload: unknown }[] = [];
const studio = createStudio({ appDataDir: path.join(root, 'app'), shell: 'test', modelsDir: models, emit: (event, payload) => events.push({ event, payload }) });
const call = async <T>(method: string, params: unknown = {}): Promise<T> => {
  const o = await studio.dispatch(method, params);
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.value as T;
};
const done = async (jobId: number): Promise<Events['job.done']> => {
  for (;;) {
    const e = events.find((x) => x.event === 'job.done' && (x.payload as Events['job.done']).jobId === jobId);
    if (e) return e.payload as Events['job.done'];
    await new Promise((r) => setTimeout(r, 100));
  }
};

const projectDir = path.join(root, 'project');
await call('project.create', { path: projectDir });
await done((await call<{ jobId: number }>('images.import', { paths: [path.join(data, 'image')] })).jobId);
await call('settings.set', { refineMethod: 'guided' });
const { images } = await call<{ images: { id: number; relPath: string }[] }>('images.list');
// Held out: evenly spread over the folder; their automatic trimap stays as it is.
const every = images.length / Number(a.heldout);
const heldOut = new Set(Array.from({ length: Number(a.heldout) }, (_, k) => images[Math.floor((k + 0.5) * every)].id));
let strokes = 0;
let mistakesBefore = 0;
let mistakesAfter = 0;
const exactOf = async (relPath: string) => (await decodeGrey(path.join(data, 'alpha', relPath))).data;
const trimapOf = async (imageId: number) => {
  const detail = await call<{ trimap: { ref: string } }>('image.open', { imageId });
  const file = (await studio.resolveMedia(detail.trimap.ref))!.file;
  return decodeGrey(file);
};
const tr = performance.now();
for (const image of images) {
  if (!heldOut.has(image.id) && !a.uncorrected) {
    const trimap = await trimapOf(image.id);
    const alpha = await exactOf(image.relPath);
    const auto = normaliseTrimap(trimap.data);
    mistakesBefore += definiteMistakes(auto, alpha);
    for (const stroke of retouchStrokes(auto, alpha, trimap.width, trimap.height)) {
      await call('trimap.stroke', { imageId: image.id, stroke });
      strokes++;
    }
    mistakesAfter += definiteMistakes(normaliseTrimap((await trimapOf(image.id)).data), alpha);
  }
  await done((await call<{ jobId: number }>('image.refine', { imageId: image.id })).jobId);
}
const corrected = images.length - heldOut.size;
if (a.uncorrected) say(`no retoucher (--uncorrected): ${corrected} images keep their automatic trimaps; refinements ${((performance.now() - tr) / 1000).toFixed(0)} s`);
else say(`retoucher: ${strokes} strokes on ${corrected} images (${(strokes / corrected).toFixed(1)} each); definite mistakes in their trimaps ${mistakesBefore} -> ${mistakesAfter} pixels; corrections and refinements ${((performance.now() - tr) / 1000).toFixed(0)} s`);

const t0 = performance.now();
const { jobId, pairId } = await call<{ jobId: number; pairId: string }>('training.start', {
  // The same images either way: the corrected ones are the default, the uncorrected run names them.
  ...(a.uncorrected ? { imageIds: images.filter((i) => !heldOut.has(i.id)).map((i) => i.id) } : {}),
  phase: 'end_to_end', epochs: Number(a.epochs), patchSize: Number(a.patch), inputSize: Number(a.size), batchSize: Number(a.batch), device: 'auto',
});
const end = await done(jobId);
const seconds = (performance.now() - t0) / 1000;
if (end.state !== 'done') throw new Error(`training ${end.state}: ${end.message}`);
const status = await call<TrainingStatus>('training.status', { jobId });
await studio.close();

const steps = status.records.filter((r) => r.event === 'step');
const rate = steps.map((r) => r.images_per_s ?? 0).sort((x, y) => x - y)[Math.floor(steps.length / 2)];
const start = status.records.find((r) => r.event === 'start');
say(`\n${start?.train_images} training images (${start?.val_images} for validation) of ${a.size} px, ${a.epochs} epochs at patch ${a.patch}, batch ${a.batch} on ${start?.device}: ${seconds.toFixed(0)} s from start to registered pair (dataset, training, export, report); median ${rate} training images/s`);
const vals = status.records.filter((r) => r.event === 'validation');
say(`validation SAD by epoch: ${vals.map((r) => r.sad?.toFixed(3)).join(' ')}`);
say(`\nAgainst the user's final alpha (the dialog's report):\n${reportTable(status.report!)}`);

// The same held-out images against their exact alpha.
const project = openProject(projectDir);
const engine = createDefaultEngine({ provider: 'cpu', modelsDir: models, band: '1%' });
const byId = new Map(project.listImages().map((i) => [i.id, i.relPath]));
fs.mkdirSync(a.out, { recursive: true });
const exact = await beforeAfterReport(project, engine, {
  imageIds: status.report!.rows.map((r) => r.imageId),
  before: status.report!.before,
  after: status.report!.after,
  finalRefine: 'guided',
  outDir: path.resolve(a.out),
  exactAlpha: async (id) => exactOf(byId.get(id)!),
});
const meanOf = (rows: typeof exact.rows, k: 'before' | 'after') => (rows.reduce((s, r) => s + r[k], 0) / Math.max(1, rows.length)).toFixed(3);
const unseen = exact.rows.filter((r) => heldOut.has(r.imageId));
const validation = exact.rows.filter((r) => !heldOut.has(r.imageId));
say(`\nAgainst the exact alpha:\n${reportTable(exact)}\nmontage (photo | exact | before | after): ${exact.montage}\npair: ${pairId}`);
say(`mean SAD, never corrected nor trained on (${unseen.length}): before ${meanOf(unseen, 'before')}, after ${meanOf(unseen, 'after')}`);
say(`mean SAD, corrected images of the validation split (${validation.length}): before ${meanOf(validation, 'before')}, after ${meanOf(validation, 'after')}`);
fs.copyFileSync(status.report!.montage!, path.join(a.out, 'report-final.png'));
const command = `npx tsx bench/training-report.ts ${process.argv.slice(2).join(' ')}`.trim();
const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
fs.writeFileSync(path.join(a.out, 'summary.md'), `\`${command}\` (${os.availableParallelism()} cores, load average at the end ${load}, ${new Date().toISOString()})\n\n${said.join('\n')}\n`);
say(`load average at the end: ${load}`);
await engine.close();
project.close();
// The run's project holds a checkpoint per epoch (40 MB each); what the report needs is in --out.
fs.rmSync(root, { recursive: true, force: true });
