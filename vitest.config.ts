import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Five suites: unit (pure, fast), renderer (the rune managers beside their sources), integration (real files, SQLite, onnxruntime, child processes),
// adversarial (hostile peers and careless users against the real server, CLI and database) and
// e2e (built app in Debian's Chromium). `npm test` runs them all; see scripts/test.mjs.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'src/**/*.spec.ts'],
          environment: 'node',
          pool: 'threads',
          testTimeout: 60_000,
        },
      },
      {
        // The renderer's rune managers (*.svelte.ts), tested beside them (*.test.ts) with Svelte's
        // client runtime, as the browser runs them.
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          include: ['src/renderer/**/*.test.ts'],
          environment: 'node',
          pool: 'threads',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          // Outcomes arrive through processes, sockets and a browser: on a loaded 2-core machine a
          // second is not enough (CI saw a library badge take longer), so polls wait up to 15 s.
          expect: { poll: { timeout: 15_000 } },
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'adversarial',
          expect: { poll: { timeout: 15_000 } },
          include: ['test/adversarial/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          expect: { poll: { timeout: 15_000 } },
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
