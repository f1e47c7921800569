import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../../../src/engine/project';
import { FatalJobError, JobManager, JobStore, runJob, type JobProgress } from '../../../src/engine/jobs';
import { matteJobHandler } from '../../../src/engine/pipeline';
import { makeComposite, rawRgb, tempDir } from '../../fixtures/make-fixtures';
import { cornerDistanceEngine } from '../../fixtures/test-engine';
import { killAndWait, spawnTs, waitForLines } from '../helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const open: Project[] = [];
afterEach(() => {
  while (open.length) open.pop()?.close();
});

async function projectWithImages(n: number, extra?: (src: string) => void): Promise<{ p: Project; dir: string }> {
  const src = tempDir('shm-src-');
  for (let i = 0; i < n; i++) await rawRgb(makeComposite(48, 40, 10 + i)).png().toFile(path.join(src, `img${String(i).padStart(2, '0')}.png`));
  extra?.(src);
  const dir = path.join(tempDir(), 'proj');
  const p = openProject(dir, { create: true });
  open.push(p);
  await p.importPaths([src]);
  return { p, dir };
}

describe('batch jobs', () => {
  it('runs a matte batch: one bad image fails alone, progress counts, rate and ETA are reported', async () => {
    const { p } = await projectWithImages(4);
    const ids = p.listImages().map((i) => i.id);
    // The original of one image disappears after import: that image fails, the batch goes on.
    fs.rmSync(p.getImage(ids[1])!.sourcePath);
    const events: JobProgress[] = [];
    const store = new JobStore(p.db);
    const jobs = new JobManager({ store, handlers: { matte: matteJobHandler(p, cornerDistanceEngine()) }, onProgress: (e) => events.push(e), label: (id) => p.getImage(id)!.relPath });
    const jobId = jobs.start('matte', { refine: 'guided', modelId: 'test' }, ids);
    const job = await jobs.finished(jobId);

    expect(job).toMatchObject({ state: 'done', total: 4, done: 3, failed: 1 });
    const failedItem = store.items(jobId, ['failed'])[0];
    expect(failedItem.imageId).toBe(ids[1]);
    expect(failedItem.error).toMatch(/file is missing/);
    expect(p.getImage(ids[1])).toMatchObject({ status: 'failed' });
    for (const id of [ids[0], ids[2], ids[3]]) expect(p.getImage(id)?.status).toBe('refined');
    for (const item of store.items(jobId, ['done'])) expect(fs.existsSync(item.output!)).toBe(true);

    const last = events.at(-1)!;
    expect(last).toMatchObject({ jobId, kind: 'matte', state: 'done', done: 3, failed: 1, total: 4 });
    expect(events.some((e) => e.state === 'running' && e.current === 'img02.png')).toBe(true);
    expect(events.some((e) => e.state === 'running' && (e.ratePerSec ?? 0) > 0 && e.etaMs !== undefined)).toBe(true);
    // Counts only grow.
    for (let i = 1; i < events.length; i++) expect(events[i].done + events[i].failed).toBeGreaterThanOrEqual(events[i - 1].done + events[i - 1].failed);

    // The alpha cache: a second run computes nothing new and returns the same files.
    const before = store.items(jobId, ['done']).map((i) => [i.output, fs.statSync(i.output!).mtimeMs]);
    const second = await jobs.finished(jobs.start('matte', { refine: 'guided', modelId: 'test' }, [ids[0], ids[2], ids[3]]));
    expect(second.done).toBe(3);
    expect(store.items(second.id, ['done']).map((i) => [i.output, fs.statSync(i.output!).mtimeMs])).toEqual(before);
  });

  it('cancels: finished items stay done, the rest are cancelled', async () => {
    const { p } = await projectWithImages(5);
    const store = new JobStore(p.db);
    const jobs = new JobManager({ store, handlers: { matte: matteJobHandler(p, cornerDistanceEngine({ delayMs: 80 })) }, concurrency: 1,
      onProgress: (e) => e.done === 2 && e.state === 'running' && jobs.cancel(e.jobId) });
    const job = await jobs.finished(jobs.start('matte', { refine: 'guided', modelId: 'test' }, p.listImages().map((i) => i.id)));
    expect(job.state).toBe('cancelled');
    expect(job.done).toBeGreaterThanOrEqual(2);
    expect(job.done + job.cancelled).toBe(5);
    expect(() => jobs.resume(job.id)).toThrow(/cancelled/);
  });

  it('a fatal error stops the batch as failed with its reason, leaving the rest queued and resumable', async () => {
    const { p } = await projectWithImages(3);
    const store = new JobStore(p.db);
    const ids = p.listImages().map((i) => i.id);
    const id = store.create('x', {}, ids);
    let calls = 0;
    const job = await runJob(store, id, async () => {
      calls++;
      if (calls === 2) throw new FatalJobError('No space left on the device');
      return {};
    }, { concurrency: 1 });
    expect(job).toMatchObject({ state: 'failed', reason: 'No space left on the device', done: 1, failed: 0 });
    expect(store.items(id, ['queued'])).toHaveLength(2);
    expect(store.resumable().map((j) => j.id)).toEqual([id]);
    const resumed = await runJob(store, id, async () => ({}));
    expect(resumed).toMatchObject({ state: 'done', done: 3 });
  });

  it('resumes after the process running the batch is killed with SIGKILL', async () => {
    const { p, dir } = await projectWithImages(6);
    const total = p.listImages().length;
    p.close();
    open.pop();

    const child = spawnTs(path.join(here, 'child-batch.ts'), [dir]);
    const lines = await waitForLines(child, (l) => l.some((x) => /^progress \d+ running 2$/.test(x)));
    await killAndWait(child);
    expect(lines).not.toContain('finished');
    const jobId = Number(lines.find((l) => l.startsWith('job '))!.split(' ')[1]);

    const again = openProject(dir);
    open.push(again);
    const store = new JobStore(again.db);
    const interrupted = store.get(jobId)!;
    expect(interrupted.state).toBe('running');
    expect(interrupted.done).toBeGreaterThanOrEqual(2);
    expect(interrupted.done).toBeLessThan(total);
    expect(store.resumable().map((j) => j.id)).toContain(jobId);
    const doneBefore = new Set(store.items(jobId, ['done']).map((i) => i.imageId));

    const seen: number[] = [];
    const base = matteJobHandler(again, cornerDistanceEngine());
    const counting = async (params: unknown, run: { items: number }) => {
      const process = await base(params, run);
      return (imageId: number, signal: AbortSignal, item: { interrupted: boolean }) => {
        seen.push(imageId);
        return process(imageId, signal, item);
      };
    };
    const jobs = new JobManager({ store, handlers: { matte: counting } });
    jobs.resume(jobId);
    const finished = await jobs.finished(jobId);
    expect(finished).toMatchObject({ state: 'done', done: total, failed: 0 });
    // Only the unfinished images were processed again.
    for (const id of seen) expect(doneBefore.has(id)).toBe(false);
    expect(seen.length).toBe(total - doneBefore.size);
    for (const img of again.listImages()) expect(img.status).toBe('refined');
  });
});
