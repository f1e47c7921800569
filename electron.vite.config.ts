import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Node-side entries are bundled flat into out/main/: Electron's main, the engine's utility
 * process, the browser-mode server, the CLI and every worker thread (see
 * src/engine/workers/spawn.ts). Dependencies stay external (native modules: better-sqlite3,
 * onnxruntime-node, sharp).
 */
const nodeEntries = {
  index: resolve('src/main/index.ts'),
  'engine-process': resolve('src/main/engine-process.ts'),
  web: resolve('src/web/main.ts'),
  // The command line, run by bin/shm-studio.mjs while it is newer than every source file.
  cli: resolve('src/cli/entry.ts'),
  // Worker threads (spawnWorker): one entry each, named as the file.
  'inference-worker': resolve('src/engine/inference/inference-worker.ts'),
  'matting-worker': resolve('src/engine/matting/workers/matting-worker.ts'),
  'webcam-worker': resolve('src/engine/webcam/webcam-worker.ts'),
  'pipeline-worker': resolve('src/engine/pipeline/pipeline-worker.ts'),
  'trimap-worker': resolve('src/engine/project/trimap-worker.ts'),
};

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: nodeEntries,
        // Shared chunks may land inside a worker's entry file; workers attach their handlers only
        // in the thread spawned under their name (workerPort in src/engine/workers/spawn.ts).
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: '[name]-[hash].js',
          // The inference worker's start is on every batch's critical path: keep the model
          // errors and channel counts it needs out of the chunk with the zod manifest schema
          // (zod took ~60 ms to load in a fresh thread). test/e2e/build-output.test.ts checks.
          manualChunks: (id) => (/src[\\/]engine[\\/]models[\\/](errors|channels)\.ts$/.test(id) ? 'model-basics' : undefined),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads must be one CommonJS file.
      rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [svelte()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
