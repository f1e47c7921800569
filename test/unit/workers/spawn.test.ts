import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { prespawnWorker, spareWorkers, spawnWorker } from '../../../src/engine/workers/spawn';

const here = import.meta.url;
const started: Worker[] = [];
const track = (w: Worker) => (started.push(w), w);

/** The worker's answer to n: twice n, and the thread that computed it. */
function ask(worker: Worker, n: number): Promise<{ n: number; thread: number }> {
  const reply = new Promise<{ n: number; thread: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  worker.postMessage(n);
  return reply;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.terminate()));
});

describe('spare worker threads (prespawnWorker)', () => {
  it('the next spawn of that module takes the spare, already started, and it works like a fresh one', async () => {
    const [spare] = prespawnWorker(here, 'echo-worker').map(track);
    expect(spareWorkers(here, 'echo-worker')).toBe(1);
    const worker = track(spawnWorker(here, 'echo-worker'));
    expect(worker).toBe(spare);
    expect(spareWorkers(here, 'echo-worker')).toBe(0);
    await expect(ask(worker, 21)).resolves.toEqual({ n: 42, thread: spare.threadId });
    // The one after starts its own thread.
    const next = track(spawnWorker(here, 'echo-worker'));
    expect(next).not.toBe(spare);
  });

  it('is not handed to a spawn of another module, nor to one with its own options', () => {
    const [spare] = prespawnWorker(here, 'echo-worker').map(track);
    expect(track(spawnWorker(here, 'echo-worker', { resourceLimits: { maxOldGenerationSizeMb: 256 } }))).not.toBe(spare);
    expect(spareWorkers(new URL('../pipeline/', here).href, 'echo-worker')).toBe(0);
    expect(spareWorkers(here, 'echo-worker')).toBe(1);
  });

  it('a spare that fails to load is dropped silently; the next spawn starts a fresh thread', async () => {
    process.env.SHM_TEST_ECHO_FAIL = '1';
    try {
      prespawnWorker(here, 'echo-worker').map(track);
    } finally {
      delete process.env.SHM_TEST_ECHO_FAIL;
    }
    await expect.poll(() => spareWorkers(here, 'echo-worker'), { timeout: 30_000 }).toBe(0);
    const worker = track(spawnWorker(here, 'echo-worker'));
    await expect(ask(worker, 5)).resolves.toMatchObject({ n: 10 });
  });
});
