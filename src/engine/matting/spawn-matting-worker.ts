import { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn';

/**
 * spawnWorker, except from source: spawn.ts resolves `tsx/esm/api` with require(), which yields
 * tsx's CommonJS entry, and the worker's ESM boot then fails ("Cannot find module
 * .../dist/esm/api/esm/index.mjs"). import.meta.resolve picks the ESM entry. Remove once spawn.ts
 * does the same (the inference service carries the same workaround).
 */
export function spawnMattingWorker(callerUrl: string, name: string): Worker {
  if (!callerUrl.endsWith('.ts')) return spawnWorker(callerUrl, name);
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true });
}
