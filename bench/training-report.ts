/**
 * npx tsx bench/training-report.ts [--images 24] [--size 128] [--epochs 8] [--patch 96] [--out bench/reports/training]
 *
 * The learning studio's loop on synthetic people with exact alpha (training/make_synthetic.py):
 * a project of them, refined with the default pipeline, trained in the studio (real trainer, CPU),
 * then the before/after report on the held-out images twice: against the user's final alpha (what
 * the studio shows) and against the exact alpha. Prints both tables and the run's throughput;
 * montages go to --out (bench/reports/ is not committed).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeGrey } from '../src/engine/imaging/decode.js';
import { createStudio } from '../src/engine/studio.js';
import { openProject } from '../src/engine/project/index.js';
import { createDefaultEngine } from '../src/engine/pipeline/engine.js';
import { beforeAfterReport, reportTable } from '../src/engine/training/report.js';
import { resolvePython } from '../src/engine/training/python.js';
import type { EventName, Events, TrainingStatus } from '../src/shared/contract.js';

const { values: a } = parseArgs({
  options: {
    images: { type: 'string', default: '24' },
    size: { type: 'string', default: '128' },
    epochs: { type: 'string', default: '8' },
    patch: { type: 'string', default: '96' },
    out: { type: 'string', default: 'bench/reports/training' },
  },
});
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
for (const image of images) await done((await call<{ jobId: number }>('image.refine', { imageId: image.id })).jobId);

const t0 = performance.now();
const { jobId, pairId } = await call<{ jobId: number; pairId: string }>('training.start', {
  phase: 'end_to_end', epochs: Number(a.epochs), patchSize: Number(a.patch), inputSize: Number(a.size), batchSize: 4, device: 'auto',
});
const end = await done(jobId);
const seconds = (performance.now() - t0) / 1000;
if (end.state !== 'done') throw new Error(`training ${end.state}: ${end.message}`);
const status = await call<TrainingStatus>('training.status', { jobId });
await studio.close();

const steps = status.records.filter((r) => r.event === 'step');
const rate = steps.map((r) => r.images_per_s ?? 0).sort((x, y) => x - y)[Math.floor(steps.length / 2)];
const start = status.records.find((r) => r.event === 'start');
console.log(`\n${images.length} images of ${a.size} px, ${a.epochs} epochs at patch ${a.patch}, batch 4 on ${start?.device}: ${seconds.toFixed(0)} s from start to registered pair (dataset, training, export, report); median ${rate} training images/s`);
const vals = status.records.filter((r) => r.event === 'validation');
console.log(`validation SAD by epoch: ${vals.map((r) => r.sad?.toFixed(3)).join(' ')}`);
console.log(`\nAgainst the user's final alpha (the dialog's report):\n${reportTable(status.report!)}`);

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
  exactAlpha: async (id) => (await decodeGrey(path.join(data, 'alpha', byId.get(id)!))).data,
});
console.log(`\nAgainst the exact alpha:\n${reportTable(exact)}\nmontage (photo | exact | before | after): ${exact.montage}\npair: ${pairId}`);
fs.copyFileSync(status.report!.montage!, path.join(a.out, 'report-final.png'));
await engine.close();
project.close();
