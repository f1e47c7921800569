import { Worker, parentPort, workerData, type MessagePort, type WorkerOptions } from 'node:worker_threads';

/**
 * Threads started ahead of the code that will own them (see prespawnWorker), by the URL of the
 * module they load: a thread is only ever handed to a caller that would have started that module.
 */
const spares = new Map<string, Spare[]>();
interface Spare {
  worker: Worker;
  /** Drops the spare when its thread ends before anyone takes it (a failed load). */
  onExit(): void;
}
const ignoreError = (): void => undefined;

/** What spawnWorker starts for `name` beside `callerUrl`: the module's URL and how to start it. */
function workerEntry(callerUrl: string, name: string): { key: string; start(options: WorkerOptions): Worker } {
  if (callerUrl.endsWith('.ts')) {
    const entry = new URL(`./${name}.ts`, callerUrl).href;
    // The ESM entry of tsx's API (require.resolve would give the CommonJS one).
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    return { key: entry, start: (options) => new Worker(boot, { ...options, eval: true }) };
  }
  const entry = new URL(`./${name}.js`, callerUrl);
  return { key: entry.href, start: (options) => new Worker(entry, options) };
}

/**
 * Starts a worker thread for a module that sits next to `callerUrl` (pass `import.meta.url`).
 *
 * Run from source (tests, tsx) the caller is a `.ts` file: the worker is `<name>.ts` beside it and
 * is loaded through tsx. In the built app every Node entry is bundled flat into one folder, so the
 * worker is the sibling bundle `<name>.js` (each worker is its own build entry, see
 * electron.vite.config.ts). The thread is told its name (see workerPort). A live spare of the same
 * module (prespawnWorker) is handed out first: it is the thread this call would have started,
 * only further along.
 */
export function spawnWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const { key, start } = workerEntry(callerUrl, name);
  // A caller with its own options gets a thread started with them.
  const spare = Object.keys(options).length === 0 ? spares.get(key)?.[0] : undefined;
  if (spare) {
    const { worker, onExit } = spare;
    dropSpare(key, worker);
    worker.off('error', ignoreError);
    worker.off('exit', onExit);
    worker.ref();
    return worker;
  }
  return start({ ...options, workerData: { workerName: name } });
}

/**
 * Starts `count` threads of a worker module now, before the code that will use them has loaded,
 * so their start-up (module loading, onnxruntime's native library) overlaps the caller's own. The
 * next spawnWorker calls for that module take them. A spare never holds the process open, and one
 * that nobody takes ends with the process.
 */
export function prespawnWorker(callerUrl: string, name: string, count = 1): Worker[] {
  const { key, start } = workerEntry(callerUrl, name);
  const started: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const worker = start({ workerData: { workerName: name } });
    worker.unref();
    // Until a caller takes it, a failure to load only drops the spare; the caller's own spawn then reports it.
    worker.on('error', ignoreError);
    const onExit = () => dropSpare(key, worker);
    worker.once('exit', onExit);
    started.push(worker);
    spares.set(key, [...(spares.get(key) ?? []), { worker, onExit }]);
  }
  return started;
}

function dropSpare(key: string, worker: Worker): void {
  const list = spares.get(key)?.filter((s) => s.worker !== worker) ?? [];
  if (list.length) spares.set(key, list);
  else spares.delete(key);
}

/** Live spares of a worker module not yet taken (for tests and diagnostics). */
export function spareWorkers(callerUrl: string, name: string): number {
  return spares.get(workerEntry(callerUrl, name).key)?.length ?? 0;
}

/**
 * The port a worker module listens on, or null when this thread was not spawned as `name`. A
 * bundler may put a worker's module in a chunk that other threads also load for shared code;
 * only the thread spawned under that name may attach the worker's message handler.
 */
export function workerPort(name: string): MessagePort | null {
  return parentPort && (workerData as { workerName?: unknown } | null)?.workerName === name ? parentPort : null;
}
