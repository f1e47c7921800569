#!/usr/bin/env node
// The command line. After a build (npm run build, npm test, npm run web) it runs the bundle
// out/main/cli.js, whose worker threads start in tens of milliseconds; while any file under src/
// is newer than that bundle (or SHM_STUDIO_FROM_SOURCE=1) it runs the TypeScript sources through
// tsx (a dev dependency inside the repository), which compiles every worker thread's modules too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'out', 'main', 'cli.js');

/** Newest modification time of any file under dir. */
function newest(dir) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const builtTime = fs.statSync(built, { throwIfNoEntry: false })?.mtimeMs;
if (process.env.SHM_STUDIO_FROM_SOURCE !== '1' && builtTime !== undefined && builtTime >= newest(path.join(root, 'src'))) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
