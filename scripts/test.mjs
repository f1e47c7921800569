#!/usr/bin/env node
/**
 * `npm test`: every gate in order — types (tsc + svelte-check), lint, build, then the unit,
 * integration and end-to-end suites in one Vitest run, then the trainer's pytest suite
 * (training/tests). Ends with one plain line "tests: N passed, N failed, N skipped" (both suites
 * counted) and a non-zero exit if any gate failed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const report = 'test-results/vitest.json';
const pytestReport = 'test-results/pytest.xml';
// Debian's PyTorch is importable from /usr/bin/python3 only (the python3 first on PATH may be another build).
const python = process.env.SHM_PYTHON ?? '/usr/bin/python3';
const gates = [
  ['typecheck', ['tsc', '-p', 'tsconfig.json']],
  ['svelte-check', ['svelte-check', '--tsconfig', './tsconfig.web.json', '--fail-on-warnings']],
  ['lint', ['eslint', '--max-warnings', '0', '.']],
  ['build', ['electron-vite', 'build']],
  ['vitest', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]],
  ['pytest', ['-m', 'pytest', 'training/tests', '-q', '-p', 'no:cacheprovider', `--junitxml=${pytestReport}`], python],
];

const failedGates = [];
fs.rmSync(report, { force: true });
fs.rmSync(pytestReport, { force: true });
for (const [name, args, command = npx] of gates) {
  console.log(`\n== ${name}: ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
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
if (fs.existsSync(pytestReport)) {
  // JUnit XML: <testsuite ... errors="0" failures="0" skipped="0" tests="N" ...>
  const suite = /<testsuite\b[^>]*>/.exec(fs.readFileSync(pytestReport, 'utf8'))?.[0] ?? '';
  const count = (attr) => Number(new RegExp(`\\b${attr}="(\\d+)"`).exec(suite)?.[1] ?? 0);
  const pyFailed = count('failures') + count('errors');
  passed += count('tests') - pyFailed - count('skipped');
  failed += pyFailed;
  skipped += count('skipped');
} else {
  failedGates.push('pytest report missing');
}
// A failed gate outside the test suites counts as a failed test, so the closing line never reads green.
failed += failedGates.filter((g) => g !== 'vitest' && g !== 'pytest').length;
if (failedGates.length) console.log(`\nFailed gates: ${failedGates.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedGates.length || failed ? 1 : 0);
