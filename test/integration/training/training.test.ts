/**
 * The learning studio with the real trainer: Python child processes running training/train.py
 * and export.py on a tiny synthetic project, a few CPU steps each.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageView, ModelView, TrainingCheck, TrainingRecord, TrainingStatus } from '../../../src/shared/contract';
import { tempDir } from '../../fixtures/make-fixtures';
import { decodeRgb } from '../../../src/engine/imaging/decode';
import { createDefaultEngine } from '../../../src/engine/pipeline/engine';
import { trimapFromProbabilities } from '../../../src/engine/pipeline/shm-trimap';
import { killAndWait, spawnTs, waitForLines } from '../helpers';
import { makeRefinedProject, openHarness, TINY, type Harness } from './studio-fixture';

const here = path.dirname(fileURLToPath(import.meta.url));
const opened: Harness[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()?.studio.close();
});

function harness(root: string): Harness {
  const h = openHarness(root);
  opened.push(h);
  return h;
}

/** What the user's work in a project amounts to: each image's status and trimap history. */
function projectWork(projectDir: string) {
  const db = new Database(path.join(projectDir, 'project.db'), { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%trimap%' ORDER BY name").all();
    const images = db.prepare('SELECT id, rel_path, status FROM images ORDER BY id').all();
    const trimaps = tables.map((t) => db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all());
    return { images, trimaps, integrity: db.pragma('integrity_check', { simple: true }) };
  } finally {
    db.close();
  }
}

describe('training in the studio', () => {
  it('Python or PyTorch missing: the check says what and how to install it, and nothing starts', async () => {
    const root = tempDir('shm-train-nopy-');
    const h = harness(root);
    const project = await makeRefinedProject(h, root, 2);
    const jobsBefore = (await h.call<{ jobs: unknown[] }>('jobs.list')).jobs.length;

    // Only a file named like Python can be set (the studio runs it).
    await expect(h.call('settings.set', { pythonPath: '/bin/sh' })).rejects.toThrow(/BAD_REQUEST: .*must name a Python interpreter/);
    const missing = path.join(root, 'nowhere', 'python3');
    await h.call('settings.set', { pythonPath: missing });
    const check = await h.call<TrainingCheck>('training.check');
    expect(check.ok).toBe(false);
    expect(check.message).toContain(`Python (${missing}) cannot be run: not found`);
    expect(check.install?.debian).toMatch(/apt-get install .*python3-torch/);
    expect(check.install?.macos).toMatch(/pip install torch/);
    expect(check.install?.windows).toMatch(/pip install torch/);
    await expect(h.call('training.start', { ...TINY, epochs: 1 })).rejects.toThrow(/TRAINING_UNAVAILABLE: Python .* cannot be run[\s\S]*Debian\/Ubuntu: sudo apt-get[\s\S]*macOS:[\s\S]*Windows:/);

    // A PyTorch too old for the trainer (a script answering the probe as such an interpreter would).
    fs.mkdirSync(path.join(root, 'old'));
    const fakeOld = path.join(root, 'old', 'python3.11');
    fs.writeFileSync(fakeOld, `#!/bin/sh\necho '{"python": "3.11.2", "torch": "1.8.1", "cuda": false, "missing": []}'\n`, { mode: 0o755 });
    await h.call('settings.set', { pythonPath: fakeOld });
    const old = await h.call<TrainingCheck>('training.check');
    expect(old).toMatchObject({ ok: false, pythonVersion: '3.11.2', torchVersion: '1.8.1' });
    expect(old.message).toContain('PyTorch 1.8.1');
    expect(old.message).toContain('too old: the trainer needs 1.13 or newer');
    await expect(h.call('training.start', { ...TINY, epochs: 1 })).rejects.toThrow(/TRAINING_UNAVAILABLE: PyTorch 1.8.1/);

    expect((await h.call<{ jobs: unknown[] }>('jobs.list')).jobs).toHaveLength(jobsBefore);
    expect(fs.existsSync(path.join(project, 'training'))).toBe(false);

    await h.call('settings.set', { pythonPath: null });
    const real = await h.call<TrainingCheck>('training.check');
    expect(real).toMatchObject({ ok: true, cuda: false });
    expect(real.torchVersion).toMatch(/^\d+\.\d+/);
  });

  it('a trainer crash fails the job with its last log lines; the project is intact', async () => {
    const root = tempDir('shm-train-crash-');
    const h = harness(root);
    const project = await makeRefinedProject(h, root, 3);
    const before = projectWork(project);

    const { jobId, pairId } = await h.call<{ jobId: number; pairId: string }>('training.start', { ...TINY, epochs: 3 });
    // The first checkpoint, then a cancel (the trainer is killed).
    await h.waitFor('job.progress', (p) => p.jobId === jobId && p.training?.event === 'checkpoint');
    // One trainer at a time per project.
    await expect(h.call('training.start', { ...TINY, epochs: 1 })).rejects.toThrow(new RegExp(`BAD_REQUEST: Training job ${jobId} is running`));
    expect(await h.call('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    const cancelled = await h.waitFor('job.done', (p) => p.jobId === jobId);
    expect(cancelled.state).toBe('cancelled');

    // The checkpoint the resumed run would continue from is damaged: train.py stops with an error.
    const status = await h.call<TrainingStatus>('training.status', { jobId });
    const ckpt = status.records.find((r) => r.event === 'checkpoint')!.path!;
    fs.writeFileSync(path.resolve(status.runDir, ckpt), 'not a checkpoint');
    const resumedFrom = h.events.length;
    await h.call('jobs.resume', { jobId });
    const failed = await h.waitFor('job.done', (p) => p.jobId === jobId, 90_000, resumedFrom);
    expect(failed.state).toBe('failed');
    expect(failed.message).toMatch(/^train\.py exited with code 2:\n/);
    expect(failed.message).toMatch(/train\.py: error: .*ckpt_epoch_0001\.pth/);
    expect((await h.call<{ jobs: { jobId: number; state: string; message?: string }[] }>('jobs.list')).jobs.find((j) => j.jobId === jobId)).toMatchObject({ state: 'failed', message: failed.message });
    const log = await h.call<{ file: string; text: string }>('training.log', { jobId, lines: 50 });
    expect(log.file).toBe(path.join(status.runDir, 'trainer.log'));
    expect(log.text).toContain('"event": "checkpoint"');
    expect(log.text).toContain('train.py: error:');

    // Nothing of the user's work changed, and no model was registered.
    expect(projectWork(project)).toEqual(before);
    expect(before.integrity).toBe('ok');
    const models = (await h.call<{ models: ModelView[] }>('models.list')).models.map((m) => m.id);
    expect(models).not.toContain(`${pairId}-tnet`);
  });

  it('learns from the corrected trimaps: they are the dataset, the others are the report, whose montage is served as media', async () => {
    const root = tempDir('shm-train-corrected-');
    const h = harness(root);
    await makeRefinedProject(h, root, 4);
    // The network input is bounded on the engine side (a multiple of 32 in 32..1024).
    for (const inputSize of [48, 2048]) await expect(h.call('training.start', { ...TINY, epochs: 1, inputSize })).rejects.toThrow(/BAD_REQUEST: [\s\S]*at inputSize/);

    // The user corrects two trimaps: foreground painted over the top-left corner, which is background.
    const corner = { tool: 'fg', radius: 8, hardness: 1, points: [[6, 6]] };
    for (const imageId of [1, 2]) {
      await h.call('trimap.stroke', { imageId, stroke: corner });
      const refine = await h.call<{ jobId: number }>('image.refine', { imageId });
      await h.waitFor('job.done', (p) => p.jobId === refine.jobId);
    }
    const { jobId } = await h.call<{ jobId: number }>('training.start', { ...TINY, epochs: 1 });
    const done = await h.waitFor('job.done', (p) => p.jobId === jobId, 150_000);
    expect(done.state, done.message).toBe('done');
    const status = await h.call<TrainingStatus>('training.status', { jobId });

    // The dataset is the corrected images, with the alpha of the corrected trimap (the corner is foreground).
    const dataset = path.join(status.runDir, 'dataset');
    expect(fs.readdirSync(path.join(dataset, 'image')).sort()).toEqual(['person0.png', 'person1.png']);
    expect(fs.readFileSync(path.join(dataset, 'train.txt'), 'utf8')).toBe('person0.png\n');
    for (const name of ['person0.png', 'person1.png']) {
      const { data, info } = await sharp(path.join(dataset, 'alpha', name)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      expect(data[3 * info.width + 3]).toBe(255);
      expect(data[info.width - 1]).toBe(0);
    }

    // The report: the corrected image of the validation split against its corrected alpha, the others against their final one.
    const report = status.report!;
    expect(report.rows.map((r) => [r.relPath, r.reference])).toEqual([['person1.png', 'corrected'], ['person2.png', 'final'], ['person3.png', 'final']]);
    expect(status.montageRef).toBe(`report/${jobId}`);
    const served = await h.studio.resolveMedia(status.montageRef!);
    expect(served).toEqual({ file: fs.realpathSync(path.join(status.runDir, 'report.png')), mime: 'image/png' });
    expect(await sharp(served!.file).metadata()).toMatchObject({ width: 4 * 96, height: 3 * 96 });
    // Only a training job's montage: not another job's id, not an unknown one, not through a link.
    const importJob = (await h.call<{ jobs: { jobId: number; kind: string }[] }>('jobs.list')).jobs.find((j) => j.kind === 'import')!.jobId;
    expect(await h.studio.resolveMedia(`report/${importJob}`)).toBeNull();
    expect(await h.studio.resolveMedia(`report/${jobId + 100}`)).toBeNull();
    fs.renameSync(served!.file, `${served!.file}.real`);
    fs.symlinkSync('/etc/passwd', served!.file);
    expect(await h.studio.resolveMedia(status.montageRef!)).toBeNull();
  });

  it('a kill of the studio during training: the next open resumes from the last checkpoint and registers the pair', async () => {
    const root = tempDir('shm-train-kill-');
    const setup = harness(root);
    await makeRefinedProject(setup, root, 4);
    await setup.studio.close();
    opened.length = 0;

    const child = spawnTs(path.join(here, 'child-training.ts'), [root, '3']);
    let lines: string[];
    try {
      lines = await waitForLines(child, (l) => l.some((x) => x.startsWith('record ') && JSON.parse(x.slice(7)).event === 'checkpoint'), 120_000);
    } finally {
      await killAndWait(child);
    }
    const jobId = Number(lines.find((l) => l.startsWith('job '))!.slice(4));
    const firstRun = lines.filter((l) => l.startsWith('record ')).map((l) => JSON.parse(l.slice(7)) as TrainingRecord);
    const lastCheckpoint = firstRun.filter((r) => r.event === 'checkpoint').at(-1)!;
    expect(firstRun.some((r) => r.event === 'done')).toBe(false);

    // A new studio opens the project: the interrupted job resumes by itself.
    const h = harness(root);
    await h.call('project.open', { path: path.join(root, 'project') });
    const done = await h.waitFor('job.done', (p) => p.jobId === jobId, 150_000);
    expect(done.state, done.message).toBe('done');
    const status = await h.call<TrainingStatus>('training.status', { jobId });
    const starts = status.records.filter((r) => r.event === 'start');
    expect(starts).toHaveLength(2);
    expect(starts[1].resumed_from).toBe(lastCheckpoint.path);
    expect(starts[1].start_epoch).toBe(lastCheckpoint.epoch! + 1);
    // The resumed run trains only the epochs after the checkpoint, each once.
    const resumed = status.records.slice(status.records.indexOf(starts[1]));
    const remaining = [1, 2, 3].filter((e) => e > lastCheckpoint.epoch!);
    expect(resumed.filter((r) => r.event === 'epoch').map((r) => r.epoch)).toEqual(remaining);
    expect(status.records.some((r) => r.event === 'validation' && typeof r.sad === 'number')).toBe(true);

    // Before and after on the held-out image (every fifth, or the last of four): a table and a montage.
    const report = status.report!;
    expect(report.rows.map((r) => r.relPath)).toEqual(['person3.png']);
    expect(report.before).toEqual({ modelId: 'selfie-general', refine: 'guided' });
    expect(report.after).toEqual({ modelId: `${status.params.pairId}-tnet`, refine: `${status.params.pairId}-mnet` });
    for (const row of report.rows) for (const v of [row.before, row.after]) expect(v).toBeGreaterThanOrEqual(0);
    expect(report.meanAfter).toBe(report.rows[0].after);
    expect(await sharp(report.montage!).metadata()).toMatchObject({ width: 4 * 96, height: 96 });
    expect((await h.call<{ text: string }>('training.log', { jobId, lines: 20 })).text).toMatch(/\| person3\.png \| final \| \d+\.\d{3} \| \d+\.\d{3} \|/);

    // The pair is a model of the studio with its training data.
    const { models } = await h.call<{ models: ModelView[] }>('models.list');
    const pair = models.filter((m) => m.training?.pairId === status.params.pairId);
    expect(pair.map((m) => m.role).sort()).toEqual(['matting', 'trimap']);
    expect(pair[0].training).toMatchObject({ project: 'project', images: 3, phase: 'end_to_end', epochs: 3 });
    // The exported epoch is the one with the lowest validation SAD.
    const sads = status.records.filter((r) => r.event === 'validation').map((r) => [r.epoch!, r.sad!] as const);
    const best = sads.reduce((a, b) => (b[1] < a[1] ? b : a));
    expect(pair[0].training).toMatchObject({ validationSad: best[1], epoch: best[0] });
    expect(pair[0].name).toContain(`epoch ${best[0]},`);

    // The pair as automatic trimap and refinement: a new image's trimap comes from the T-Net, the alpha from the M-Net.
    const tnet = pair.find((m) => m.role === 'trimap')!.id;
    const mnet = pair.find((m) => m.role === 'matting')!.id;
    await h.call('settings.set', { semanticModel: tnet, refineMethod: mnet });
    const [image] = (await h.call<{ images: ImageView[] }>('images.list')).images;
    const detail = await h.call<{ trimap: { autoRef: string } }>('image.open', { imageId: image.id });
    const autoFile = (await h.studio.resolveMedia(detail.trimap.autoRef))!.file;
    const engine = createDefaultEngine({ provider: 'cpu', modelsDir: path.join(root, 'models') });
    try {
      const photo = await decodeRgb(path.join(root, 'photos', image.relPath));
      const expected = trimapFromProbabilities((await engine.segment(tnet, photo)).trimap!);
      const { data, info } = await sharp(autoFile).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([photo.width, photo.height]);
      // The T-Net's own three classes, not a band drawn around a mask.
      expect(Buffer.from(expected).equals(data)).toBe(true);
    } finally {
      await engine.close();
    }
    const refine = await h.call<{ jobId: number }>('image.refine', { imageId: image.id });
    expect(await h.waitFor('job.done', (p) => p.jobId === refine.jobId)).toMatchObject({ state: 'done', done: 1 });
    expect(await h.studio.resolveMedia(`cutout/${image.id}/${mnet}`)).not.toBeNull();

    // Delete: both halves go, and the settings fall back to the defaults.
    const exported = path.join(root, 'exported');
    fs.mkdirSync(exported);
    for (const id of [tnet, mnet]) for (const ext of ['.onnx', '.json']) fs.copyFileSync(path.join(root, 'models', id + ext), path.join(exported, id + ext));
    expect((await h.call<{ deleted: string[] }>('models.delete', { id: tnet })).deleted.sort()).toEqual([mnet, tnet].sort());
    const after = await h.call<{ semanticModel: string; refineMethod: string }>('settings.get');
    expect([after.semanticModel, after.refineMethod]).not.toContain(tnet);
    expect([after.semanticModel, after.refineMethod]).not.toContain(mnet);
    expect((await h.call<{ models: ModelView[] }>('models.list')).models.map((m) => m.id)).not.toContain(tnet);
    await expect(h.call('models.delete', { id: 'selfie-general' })).rejects.toThrow(/built-in model/);

    // Import the folder of exported models back: the pair returns with its training data; twice is refused.
    const imported = (await h.call<{ models: ModelView[] }>('models.import', { dir: exported })).models;
    expect(imported.map((m) => m.id).sort()).toEqual([mnet, tnet].sort());
    expect(imported.map((m) => m.training)).toEqual([pair[0].training, pair[0].training]);
    await expect(h.call('models.import', { dir: exported })).rejects.toThrow(/MODEL_EXISTS/);
    await expect(h.call('models.import', { dir: path.join(root, 'photos') })).rejects.toThrow(/holds no exported model/);
  });
});
