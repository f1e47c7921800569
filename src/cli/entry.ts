// The built command line (out/main/cli.js): bin/shm-studio.mjs runs it when it is newer than the sources.
import { prespawnWorker } from '../engine/workers/spawn';

const argv = process.argv.slice(2);
if (argv[0] === 'matte' && !argv.some((a) => a === '--trimaps' || a.startsWith('--trimaps='))) {
  // The model session is the first image's first wait. Its thread starts loading onnxruntime now,
  // alongside the CLI's own modules, rather than after them (the bundle keeps every worker beside
  // this file; the engine's InferenceService takes the thread), and the service's modules (the
  // model registry and its schemas) are fetched ahead of the rest. The engine's own import
  // reports any failure.
  prespawnWorker(import.meta.url, 'inference-worker');
  import('../engine/inference/service').catch(() => undefined);
}
const { main } = await import('./main');
process.exitCode = await main(argv);
