import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread for a module that sits next to `callerUrl` (pass `import.meta.url`).
 *
 * Run from source (tests, tsx) the caller is a `.ts` file: the worker is `<name>.ts` beside it and
 * is loaded through tsx. In the built app every Node entry is bundled flat into one folder, so the
 * worker is the sibling bundle `<name>.js` (each worker is its own build entry, see
 * electron.vite.config.ts).
 */
export function spawnWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (callerUrl.endsWith('.ts')) {
    const entry = new URL(`./${name}.ts`, callerUrl).href;
    // The ESM entry of tsx's API (require.resolve would give the CommonJS one).
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { ...options, eval: true });
  }
  return new Worker(new URL(`./${name}.js`, callerUrl), options);
}
