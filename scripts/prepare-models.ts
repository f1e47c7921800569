/**
 * `npm run models` (also postinstall): converts every manifest in models/ whose preparation is
 * `tflite-to-onnx` from the installed npm package into models/<id>.onnx. Idempotent: a model whose
 * ONNX metadata already records the same source sha256 and converter version is left alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CONVERTER_VERSION, convertTflite, UnsupportedOperatorError } from './model-converter/convert/tflite-to-onnx.js';
import { inspectOnnx } from '../src/engine/models/onnx/inspect.js';
import { listModels, ModelError, validateOnnxAgainstManifest, type ModelInfo } from '../src/engine/models/registry.js';

const require = createRequire(import.meta.url);

class PrepareError extends Error {}

function sourcePath(pkg: string, file: string): string {
  let root: string;
  try {
    root = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new PrepareError(`package ${pkg} is not installed (it ships the model source); run \`npm install ${pkg}\``);
  }
  const path = join(root, file);
  if (!existsSync(path)) throw new PrepareError(`package ${pkg} is installed but has no ${file}`);
  return path;
}

function upToDate(onnxPath: string, sha256: string): boolean {
  if (!existsSync(onnxPath)) return false;
  try {
    const meta = inspectOnnx(readFileSync(onnxPath)).metadata;
    return meta.source_sha256 === sha256 && meta.converter_version === String(CONVERTER_VERSION);
  } catch {
    return false; // unreadable: rebuild it
  }
}

function prepare(info: ModelInfo): string {
  const { manifest, onnxPath } = info;
  const source = manifest.source;
  if (manifest.preparation.method !== 'tflite-to-onnx' || !source) return 'user model, nothing to prepare';
  const path = sourcePath(source.package, source.file);
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== source.sha256) {
    throw new PrepareError(`${source.package}/${source.file} has sha256 ${sha256}, manifest ${manifest.id}.json expects ${source.sha256} (a different package version?)`);
  }
  if (upToDate(onnxPath, sha256)) return 'up to date';
  const result = convertTflite(bytes, { source_sha256: sha256, source: `${source.package}/${source.file}`, model_id: manifest.id });
  const tmp = `${onnxPath}.${process.pid}.tmp.onnx`;
  writeFileSync(tmp, result.onnx);
  try {
    validateOnnxAgainstManifest(tmp, manifest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  renameSync(tmp, onnxPath);
  const ops = Object.entries(result.operators).map(([op, n]) => `${op}×${n}`).join(', ');
  return `converted (${(result.onnx.length / 1024).toFixed(0)} KiB; ${ops})`;
}

function main(): number {
  let failed = 0;
  for (const info of listModels()) {
    try {
      console.log(`models: ${info.manifest.id}: ${prepare(info)}`);
    } catch (e) {
      failed++;
      const kind = e instanceof UnsupportedOperatorError ? 'unsupported operator' : e instanceof ModelError ? e.code : e instanceof PrepareError ? 'missing source' : 'error';
      console.error(`models: ${info.manifest.id}: FAILED (${kind}): ${(e as Error).message}`);
    }
  }
  return failed ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`models: FAILED: ${(e as Error).message}`);
  process.exitCode = 1;
}
