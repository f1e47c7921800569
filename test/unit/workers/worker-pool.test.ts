import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool, type WorkerPoolAdapter } from '../../../src/engine/workers/worker-pool';

// A worker that squares a number after `ms`, reporting progress first; `crash` exits the thread, `hang` never answers.
// A prestart warm-up ({ id: 0, warmUp: ms }) answers after `ms`.
const source = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, n, ms, crash, hang, fail, warmUp }) => {
  if (warmUp !== undefined) return setTimeout(() => parentPort.postMessage({ id, kind: 'warmed', thread: require('node:worker_threads').threadId }), warmUp);
  if (crash) process.exit(3);
  if (hang) return;
  parentPort.postMessage({ id, kind: 'progress', at: 0.5 });
  setTimeout(() => parentPort.postMessage(fail ? { id, kind: 'error', text: 'bad n' } : { id, kind: 'done', value: n * n, thread: require('node:worker_threads').threadId }), ms);
});`;

interface Task { n: number; ms?: number; crash?: boolean; hang?: boolean; fail?: boolean }
type Message = { id: number; kind: 'progress'; at: number } | { id: number; kind: 'done'; value: number; thread: number } | { id: number; kind: 'error'; text: string };

class PoolError extends Error {}

let spawned = 0;
const adapter: WorkerPoolAdapter<Task, Message, { value: number; thread: number }, number> = {
  spawn: () => {
    spawned++;
    return new Worker(source, { eval: true });
  },
  request: (task, id) => ({ ...task, id }),
  read: (msg) => (msg.kind === 'progress' ? { progress: msg.at } : msg.kind === 'done' ? { result: { value: msg.value, thread: msg.thread } } : { error: new Error(msg.text) }),
  failure: (message, cause) => new PoolError(message, { cause }),
};

describe('WorkerPool', () => {
  let pool: WorkerPool<Task, Message, { value: number; thread: number }, number>;
  afterEach(() => pool.close());

  it('runs jobs on at most `size` threads, reusing idle ones, and forwards progress', async () => {
    spawned = 0;
    pool = new WorkerPool('test', 2, adapter);
    const progress: number[] = [];
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run({ n, ms: 20 }, { onProgress: (p) => progress.push(p) })));
    expect(results.map((r) => r.value)).toEqual([1, 4, 9, 16, 25]);
    expect(new Set(results.map((r) => r.thread)).size).toBe(2);
    expect(spawned).toBe(2);
    expect(pool.threads).toBe(2);
    expect(progress).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('prestart() starts idle threads up to the size, and jobs then run on them', async () => {
    spawned = 0;
    pool = new WorkerPool('test', 2, adapter);
    pool.prestart(5);
    expect(pool.threads).toBe(2);
    expect(spawned).toBe(2);
    pool.prestart();
    expect(spawned).toBe(2);
    const results = await Promise.all([3, 4].map((n) => pool.run({ n, ms: 20 })));
    expect(results.map((r) => r.value)).toEqual([9, 16]);
    expect(new Set(results.map((r) => r.thread)).size).toBe(2);
    expect(spawned).toBe(2);
    await pool.close();
    pool.prestart();
    expect(pool.threads).toBe(0);
  });

  it('prestart(1) starts one thread; a second job in parallel spawns the other on demand', async () => {
    spawned = 0;
    pool = new WorkerPool('test', 2, adapter);
    pool.prestart(1);
    expect(spawned).toBe(1);
    await Promise.all([1, 2].map((n) => pool.run({ n, ms: 20 })));
    expect(spawned).toBe(2);
  });

  it('gives a job a thread that has warmed up before a cold one, and a cold one before one still warming up', async () => {
    const warmedThread = async () => ((await pool.warmedUp()) as { thread: number }[])[0].thread;
    pool = new WorkerPool('test', 2, adapter);
    // Thread A warms up (briefly), then B starts cold: B is the latest, but A has warmed.
    pool.prestart(1, { id: 0, warmUp: 10 });
    pool.prestart(2);
    const a = await warmedThread();
    expect((await pool.run({ n: 2 })).thread).toBe(a);
    await pool.close();

    pool = new WorkerPool('test', 2, adapter);
    // A is still warming up: the job goes to cold B at once.
    pool.prestart(1, { id: 0, warmUp: 300 });
    pool.prestart(2);
    const first = await pool.run({ n: 5 });
    expect(first.value).toBe(25);
    expect(first.thread).not.toBe(await warmedThread());
  });

  it('rejects with the error the adapter reads from the worker, and keeps the worker', async () => {
    pool = new WorkerPool('test', 1, adapter);
    await expect(pool.run({ n: 1, fail: true })).rejects.toThrow('bad n');
    expect(pool.threads).toBe(1);
    await expect(pool.run({ n: 3 })).resolves.toMatchObject({ value: 9 });
  });

  it('describes a dead worker with the adapter and replaces it', async () => {
    pool = new WorkerPool('test', 1, adapter);
    const err = await pool.run({ n: 1, crash: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PoolError);
    expect((err as Error).message).toBe('Test worker failed: exit code 3');
    expect(pool.threads).toBe(0);
    await expect(pool.run({ n: 4 })).resolves.toMatchObject({ value: 16 });
  });

  it('cancels a running job by terminating its worker, and a queued one by dropping it', async () => {
    pool = new WorkerPool('test', 1, adapter);
    const first = new AbortController();
    const second = new AbortController();
    const running = pool.run({ n: 1, hang: true }, { signal: first.signal });
    const queued = pool.run({ n: 2 }, { signal: second.signal });
    const after = pool.run({ n: 5 });
    second.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    first.abort('stop');
    await expect(running).rejects.toMatchObject({ name: 'AbortError', message: 'stop' });
    await expect(after).resolves.toMatchObject({ value: 25 });
    expect(pool.threads).toBe(1);
    await expect(pool.run({ n: 1 }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('close() rejects queued jobs and later submissions with the adapter error', async () => {
    pool = new WorkerPool('test', 1, adapter);
    const running = pool.run({ n: 1, hang: true }).catch((e: unknown) => e);
    const queued = pool.run({ n: 2 }).catch((e: unknown) => e);
    await pool.close();
    expect(await queued).toMatchObject({ message: 'The test pool was closed' });
    expect(await queued).toBeInstanceOf(PoolError);
    // Terminating a busy worker on close ends it with exit code 1.
    expect(await running).toBeInstanceOf(PoolError);
    await expect(pool.run({ n: 3 })).rejects.toThrow('The test pool is closed');
    expect(pool.threads).toBe(0);
  });
});
