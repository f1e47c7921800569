#!/usr/bin/env node
/**
 * `npm test`: every gate in order — types (tsc + svelte-check), lint, build, then the unit,
 * integration and end-to-end suites in one Vitest run. Ends with one plain line
 * "tests: N passed, N failed, N skipped" and a non-zero exit if any gate failed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const report = 'test-results/vitest.json';
const gates = [
  ['typecheck', ['tsc', '-p', 'tsconfig.json']],
  ['svelte-check', ['svelte-check', '--tsconfig', './tsconfig.web.json', '--fail-on-warnings']],
  ['lint', ['eslint', '--max-warnings', '0', '.']],
  ['build', ['electron-vite', 'build']],
  ['vitest', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]],
];

const failedGates = [];
fs.rmSync(report, { force: true });
for (const [name, args] of gates) {
  console.log(`\n== ${name}: ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(npx, args, { stdio: 'inherit' });
  console.log(`== ${name}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) failedGates.push(name);
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (fs.existsSync(report)) {
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests;
  skipped = json.numPendingTests + (json.numTodoTests ?? 0);
} else {
  failedGates.push('vitest report missing');
}
// A failed gate outside Vitest counts as a failed test, so the closing line never reads green.
failed += failedGates.filter((g) => g !== 'vitest').length;
if (failedGates.length) console.log(`\nFailed gates: ${failedGates.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedGates.length || failed ? 1 : 0);
