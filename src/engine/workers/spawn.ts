import { Worker, parentPort, workerData, type MessagePort, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread for a module that sits next to `callerUrl` (pass `import.meta.url`).
 *
 * Run from source (tests, tsx) the caller is a `.ts` file: the worker is `<name>.ts` beside it and
 * is loaded through tsx. In the built app every Node entry is bundled flat into one folder, so the
 * worker is the sibling bundle `<name>.js` (each worker is its own build entry, see
 * electron.vite.config.ts). The thread is told its name (see workerPort).
 */
export function spawnWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const named: WorkerOptions = { ...options, workerData: { workerName: name } };
  if (callerUrl.endsWith('.ts')) {
    const entry = new URL(`./${name}.ts`, callerUrl).href;
    // The ESM entry of tsx's API (require.resolve would give the CommonJS one).
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { ...named, eval: true });
  }
  return new Worker(new URL(`./${name}.js`, callerUrl), named);
}

/**
 * The port a worker module listens on, or null when this thread was not spawned as `name`. A
 * bundler may put a worker's module in a chunk that other threads also load for shared code;
 * only the thread spawned under that name may attach the worker's message handler.
 */
export function workerPort(name: string): MessagePort | null {
  return parentPort && (workerData as { workerName?: unknown } | null)?.workerName === name ? parentPort : null;
}
