/**
 * One contract suite, run against both transports: the browser-mode server over a real
 * WebSocket, and Electron's IPC relay in front of the engine in its own process.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events, JobProgress } from '../../../src/shared/contract';
import { createClient, type StudioClient } from '../../../src/shared/client';
import { ApiCallError } from '../../../src/shared/errors';
import { browserModeHarness, electronRelayHarness, type TransportHarness } from '../../helpers/transports';
import { writeTestImage } from '../../helpers/images';

const harnesses: [string, (appData: string) => Promise<TransportHarness>][] = [
  ['browser mode', (appData) => browserModeHarness(appData)],
  ['electron relay', (appData) => electronRelayHarness(appData)],
];

async function expectError(promise: Promise<unknown>, code: string): Promise<ApiCallError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiCallError);
  expect((err as ApiCallError).code).toBe(code);
  return err as ApiCallError;
}

function waitForEvent<E extends keyof Events>(client: StudioClient, event: E, match: (p: Events[E]) => boolean, timeoutMs = 60_000): Promise<Events[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
    const off = client.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

describe.each(harnesses)('contract over %s', (_name, start) => {
  let harness: TransportHarness;
  let client: StudioClient;
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'shm-contract-'));
    harness = await start(path.join(root, 'app-data'));
    client = createClient(harness.transport);
  });
  afterAll(async () => {
    await harness?.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('app.info reports the version and the engine capabilities', async () => {
    const info = await client.call('app.info', {});
    const pkg = JSON.parse(await fs.readFile('package.json', 'utf8')) as { version: string };
    expect(info.version).toBe(pkg.version);
    expect(info.engine.onnxruntime.backends.map((b) => b.name)).toContain('cpu');
    expect(info.engine.sharp.inputFormats).toEqual(expect.arrayContaining(['jpeg', 'png', 'webp']));
    expect(info.engine.cpus).toBeGreaterThan(0);
    expect(info.project).toBeNull();
  });

  it('refuses calls that need a project while none is open', async () => {
    await expectError(client.call('images.list', {}), 'NO_PROJECT');
  });

  it('answers malformed requests with typed errors', async () => {
    const bad = await expectError(client.call('project.create', { path: 42 } as never), 'BAD_REQUEST');
    expect(bad.details).toEqual([expect.objectContaining({ path: ['path'] })]);
    await expectError(client.call('project.open', {} as never), 'BAD_REQUEST');
    await expectError(client.call('jobs.cancel', { jobId: -1 }), 'BAD_REQUEST');
    await expectError(client.call('app.info', { extra: true } as never), 'BAD_REQUEST');
    await expectError(client.call('no.such.method' as never, {} as never), 'UNKNOWN_METHOD');
    await expectError(client.call('images.list', null as never), 'NO_PROJECT');
  });

  it('opening a folder that is not a project is a typed error', async () => {
    await expectError(client.call('project.open', { path: path.join(root, 'missing') }), 'PROJECT_NOT_FOUND');
    const empty = path.join(root, 'empty');
    await fs.mkdir(empty);
    await expectError(client.call('project.open', { path: empty }), 'NOT_A_PROJECT');
  });

  it('creates a project, imports a folder with progress events, lists the images and serves thumbnails', async () => {
    const projectDir = path.join(root, 'project');
    const changed = waitForEvent(client, 'project.changed', (p) => p.project?.path === projectDir);
    const created = await client.call('project.create', { path: projectDir });
    expect(created).toEqual({ path: projectDir, name: 'project', imageCount: 0, exportDir: null });
    await changed;
    expect((await client.call('project.recent', {})).projects[0]).toMatchObject({ path: projectDir });

    const photos = path.join(root, 'photos');
    await writeTestImage(path.join(photos, 'a.png'), { seed: 1 });
    await writeTestImage(path.join(photos, 'sub', 'b.jpg'), { seed: 2, format: 'jpeg' });
    await fs.writeFile(path.join(photos, 'notes.txt'), 'not an image');

    const progress: JobProgress[] = [];
    const off = client.on('job.progress', (p) => progress.push(p));
    const { jobId } = await client.call('images.import', { paths: [photos] });
    const done = await waitForEvent(client, 'job.done', (p) => p.jobId === jobId);
    off();
    expect(done.state).toBe('done');
    expect(done.skipped).toEqual([expect.objectContaining({ path: path.join(photos, 'notes.txt') })]);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.jobId === jobId && p.kind === 'import')).toBe(true);

    const { images } = await client.call('images.list', {});
    expect(images.map((i) => i.relPath).sort()).toEqual(['a.png', path.join('sub', 'b.jpg')]);
    expect(images.find((i) => i.relPath === 'a.png')).toMatchObject({ width: 64, height: 48, status: 'new', thumb: expect.stringMatching(/^thumb\/\d+$/) });
    expect((await client.call('images.list', { status: ['refined'] })).images).toEqual([]);

    const a = images.find((i) => i.relPath === 'a.png')!;
    const thumb = await harness.readMedia(a.thumb);
    expect(thumb.status).toBe(200);
    expect(thumb.mime).toMatch(/^image\//);
    expect((await sharp(thumb.bytes).metadata()).width).toBeGreaterThan(0);
    const original = await harness.readMedia(a.original);
    expect(original.bytes.equals(await fs.readFile(path.join(photos, 'a.png')))).toBe(true);
    expect((await harness.readMedia(`thumb/${a.id + 1000}`)).status).toBe(404);
    expect((await harness.readMedia('../../etc/passwd')).status).toBe(404);
    expect((await client.call('jobs.list', {})).jobs).toEqual(expect.arrayContaining([expect.objectContaining({ jobId, state: 'done' })]));
    expect(await client.call('jobs.cancel', { jobId })).toEqual({ cancelled: false });
  });

  it('opens an image for editing: automatic trimap, strokes, undo/redo, refine, cut-out media', async () => {
    const [a] = (await client.call('images.list', {})).images.filter((i) => i.relPath === 'a.png');
    const detail = await client.call('image.open', { imageId: a.id });
    expect(detail.image.status).toBe('auto');
    expect(detail.preview).toEqual({ ref: `preview/${a.id}`, width: 64, height: 48 });
    expect(detail.trimap).toMatchObject({ version: 0, canUndo: false, canRedo: false });
    const autoTrimap = await harness.readMedia(detail.trimap.ref);
    expect(autoTrimap.status).toBe(200);
    expect((await sharp(autoTrimap.bytes).metadata()).channels).toBe(1);
    const autoPixels = await sharp(autoTrimap.bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(autoPixels.info).toMatchObject({ width: 64, height: 48, channels: 1 });
    expect(new Set(autoPixels.data).size).toBeLessThanOrEqual(3);

    const painted = await client.call('trimap.stroke', { imageId: a.id, stroke: { tool: 'fg', radius: 6, hardness: 1, points: [[20, 24], [44, 24]] } });
    expect(painted).toMatchObject({ version: 1, canUndo: true, canRedo: false });
    expect(painted.revision).not.toBe(detail.trimap.revision);
    const afterStroke = await sharp((await harness.readMedia(painted.ref)).bytes).extractChannel(0).raw().toBuffer();
    expect(afterStroke[24 * 64 + 32]).toBe(255);
    await client.call('trimap.stroke', { imageId: a.id, stroke: { tool: 'bg', radius: 4, hardness: 1, points: [[2, 2]] } });
    const undone = await client.call('trimap.undo', { imageId: a.id });
    expect(undone).toMatchObject({ version: 1, canUndo: true, canRedo: true });
    expect(await client.call('trimap.redo', { imageId: a.id })).toMatchObject({ version: 2, canRedo: false });
    await expectError(client.call('trimap.stroke', { imageId: a.id, stroke: { tool: 'paint', radius: 1, hardness: 1, points: [[1, 1]] } } as never), 'BAD_REQUEST');
    await expectError(client.call('trimap.stroke', { imageId: a.id, stroke: { tool: 'fg', radius: 1, hardness: 1, points: [] } }), 'BAD_REQUEST');
    await expectError(client.call('image.open', { imageId: 999_999 }), 'IMAGE_NOT_FOUND');

    const { jobId } = await client.call('image.refine', { imageId: a.id, method: 'guided' });
    const done = await waitForEvent(client, 'job.done', (p) => p.jobId === jobId);
    expect(done).toMatchObject({ state: 'done', done: 1, failed: 0, total: 1 });
    // The request names its method: no global setting has to change first.
    const refined = await client.call('image.open', { imageId: a.id, method: 'guided' });
    expect(refined.method).toBe('guided');
    expect(refined.image.status).toBe('refined');
    expect(refined.cutout).toMatch(new RegExp(`^cutout/${a.id}/guided\\?v=`));
    const byDefault = await client.call('image.open', { imageId: a.id });
    expect(byDefault).toMatchObject({ method: 'closed-form', cutout: null });
    const cutout = await harness.readMedia(refined.cutout!);
    const rgba = await sharp(cutout.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(rgba.info).toMatchObject({ width: 64, height: 48, channels: 4 });
    expect(rgba.data[(24 * 64 + 32) * 4 + 3]).toBe(255);
    expect(rgba.data[(2 * 64 + 2) * 4 + 3]).toBe(0);
  });

  it('exports the project as RGBA PNGs with a job and progress', async () => {
    const outDir = path.join(root, 'export');
    await fs.mkdir(outDir);
    const started = await client.call('export.start', { outDir, refine: 'guided', alpha: true });
    expect(started.total).toBe(2);
    const done = await waitForEvent(client, 'job.done', (p) => p.jobId === started.jobId);
    expect(done).toMatchObject({ kind: 'export', state: 'done', done: 2, failed: 0 });
    const png = await sharp(path.join(outDir, 'a.png')).raw().toBuffer({ resolveWithObject: true });
    expect(png.info.channels).toBe(4);
    expect(png.data[(24 * 64 + 32) * 4 + 3]).toBe(255);
    expect((await fs.stat(path.join(outDir, 'sub', 'b.png'))).isFile()).toBe(true);
    await expectError(client.call('export.start', { outDir: path.join(root, 'photos') }), 'OUTPUT_INSIDE_SOURCE');
    // A folder that does not exist yet is made, and the project remembers where it was exported.
    const fresh = await client.call('export.start', { outDir: path.join(root, 'nowhere', 'yet'), refine: 'guided' });
    await waitForEvent(client, 'job.done', (p) => p.jobId === fresh.jobId);
    expect((await fs.stat(path.join(root, 'nowhere', 'yet', 'a.png'))).isFile()).toBe(true);
    expect((await client.call('app.info', {})).project?.exportDir).toBe(path.join(root, 'nowhere', 'yet'));
    await fs.writeFile(path.join(root, 'a-file'), 'not a folder');
    await expectError(client.call('export.start', { outDir: path.join(root, 'a-file', 'under-it') }), 'OUTPUT_READ_ONLY');
  });

  it('keeps settings and lists models with the execution provider report', async () => {
    const updated = await client.call('settings.set', { executionProvider: 'cpu', decontaminate: false });
    expect(updated).toMatchObject({ executionProvider: 'cpu', decontaminate: false, refineMethod: 'closed-form' });
    expect(await client.call('settings.get', {})).toEqual(updated);
    await expectError(client.call('settings.set', { executionProvider: 'tpu' } as never), 'BAD_REQUEST');
    const { models, methods, provider } = await client.call('models.list', {});
    expect(models.map((m) => m.id)).toEqual(expect.arrayContaining(['selfie-general', 'selfie-landscape']));
    expect(models.find((m) => m.id === 'selfie-general')).toMatchObject({ role: 'segmenter', license: expect.stringContaining('Apache'), present: true });
    expect(methods.map((m) => m.id)).toEqual(['closed-form', 'knn', 'guided', 'none']);
    expect(provider).toMatchObject({ requested: 'cpu', active: 'cpu' });
  });

  it('rebuilds automatic trimaps with a changed band width, and keeps the working-resolution cap', async () => {
    const people = path.join(root, 'people');
    await fs.mkdir(people);
    await fs.copyFile('test/fixtures/astronaut-256.png', path.join(people, 'astronaut.png'));
    const { jobId } = await client.call('images.import', { paths: [people] });
    await waitForEvent(client, 'job.done', (p) => p.jobId === jobId);
    const [a] = (await client.call('images.list', {})).images.filter((i) => i.relPath === 'astronaut.png');
    await client.call('trimap.stroke', { imageId: a.id, stroke: { tool: 'fg', radius: 10, hardness: 1, points: [[128, 128]] } });
    const unknownIn = async (ref: string) => {
      const grey = await sharp((await harness.readMedia(ref)).bytes).extractChannel(0).raw().toBuffer();
      return grey.filter((v) => v === 128).length;
    };
    const before = await client.call('image.open', { imageId: a.id });
    const narrow = await unknownIn(before.trimap.autoRef);
    expect((await client.call('settings.set', { bandPercent: 8 })).bandPercent).toBe(8);
    const after = await client.call('image.open', { imageId: a.id });
    expect(after.trimap.autoRef).not.toBe(before.trimap.autoRef);
    expect(after.trimap.revision).not.toBe(before.trimap.revision);
    expect(await unknownIn(after.trimap.autoRef)).toBeGreaterThan(narrow);
    // The user's edits stay on top of the new automatic trimap.
    expect(after.trimap.version).toBe(before.trimap.version);
    expect(after.cutout).toBeNull();

    expect((await client.call('settings.set', { workingMegapixels: 0.5 })).workingMegapixels).toBe(0.5);
    expect((await client.call('settings.set', { workingMegapixels: null })).workingMegapixels).toBeUndefined();
    await expectError(client.call('settings.set', { bandPercent: 0 }), 'BAD_REQUEST');
  });

  it('closes the project', async () => {
    expect(await client.call('project.close', {})).toEqual({ closed: true });
    expect(await client.call('project.close', {})).toEqual({ closed: false });
    await expectError(client.call('images.list', {}), 'NO_PROJECT');
  });
});
