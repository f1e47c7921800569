#!/usr/bin/env node
/**
 * `npm start`: builds and launches the Electron app. The Electron binary is fetched by the
 * `electron` package's own installer on first start (the project's npm install skips it, so that
 * installs work offline); where it cannot be fetched, say so and point to browser mode.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));

function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

if (!electronBinary()) {
  console.log('The Electron binary is not installed yet; fetching it (one time)...');
  const install = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 600_000 });
  if (install.status !== 0 || !electronBinary()) {
    // The installer's stack trace helps nobody; its first error line says what happened.
    const why = `${install.stderr ?? ''}`.split('\n').find((l) => /Error|ENOTFOUND|ECONN|ETIMEDOUT/.test(l))?.trim() ?? `exit code ${install.status}`;
    console.error(
      `\nSHM Studio could not start: the Electron binary is missing and could not be downloaded (${why}).\n` +
        'Use browser mode instead — the same studio in your browser, on this machine only:\n\n    npm run web\n',
    );
    process.exit(1);
  }
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const run = spawnSync(npx, ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
