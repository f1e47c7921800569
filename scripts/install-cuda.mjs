#!/usr/bin/env node
/**
 * `npm run gpu:cuda`: opt in to onnxruntime-node's CUDA execution provider. The default install
 * does not run onnxruntime-node's install script at all (package.json `allowScripts` denies it:
 * the script only downloads the CUDA provider; the CPU and WebGPU binaries ship in the package),
 * so `npm install` works offline and on machines without NVIDIA GPUs. This runs that installer with
 * the flag set to `cuda12`, which downloads the CUDA provider libraries next to the binding.
 * Needs: Linux x64, an NVIDIA driver, CUDA 12 and cuDNN 9 runtime libraries on the library path.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ortDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
const flavour = process.argv[2] ?? 'cuda12';

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`onnxruntime-node ships CUDA binaries for Linux x64 only (this is ${process.platform}/${process.arch}).`);
  process.exit(1);
}
console.log(`Installing onnxruntime-node's CUDA provider (${flavour}) into ${ortDir} ...`);
const result = spawnSync(process.execPath, [path.join(ortDir, 'script', 'install.js')], {
  cwd: ortDir,
  stdio: 'inherit',
  env: { ...process.env, npm_config_onnxruntime_node_install: flavour, ONNXRUNTIME_NODE_INSTALL: flavour },
});
if (result.status !== 0) {
  console.error('\nThe CUDA download failed (see above). The studio keeps working with WebGPU or CPU.');
  process.exit(result.status ?? 1);
}
console.log('\nDone. Choose "cuda" (or "auto") as the execution provider in Settings, or pass --ep cuda to the CLI.');
