import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ModelManifest, type ModelManifestInput } from './manifest.js';
import { defaultModelsDir } from './models-dir.js';
import { inspectOnnx, type OnnxSignature } from './onnx/inspect.js';
import { ModelError, signatureProblems } from './validate.js';

export { ModelManifest, type ModelManifestInput } from './manifest.js';
export { ModelError, type ModelErrorCode } from './validate.js';
export { defaultModelsDir } from './models-dir.js';

export interface ModelInfo {
  manifest: ModelManifest;
  manifestPath: string;
  onnxPath: string;
  /** Whether the prepared .onnx file exists (converted models appear after `npm run models`). */
  present: boolean;
}

export function onnxPathFor(modelsDir: string, id: string): string {
  return join(modelsDir, `${id}.onnx`);
}

function issues(error: { issues: { path: PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(manifest)'}: ${i.message}`);
}

export function parseManifest(value: unknown, where = 'manifest'): ModelManifest {
  const parsed = ModelManifest.safeParse(value);
  if (!parsed.success) throw new ModelError('MANIFEST_INVALID', `invalid model manifest ${where}`, issues(parsed.error));
  return parsed.data;
}

function readManifest(path: string): ModelManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ModelError('MANIFEST_INVALID', `cannot read model manifest ${path}: ${(e as Error).message}`);
  }
  const m = parseManifest(json, path);
  if (`${m.id}.json` !== basename(path)) throw new ModelError('MANIFEST_INVALID', `manifest ${path} declares id "${m.id}"; the file must be named ${m.id}.json`);
  return m;
}

/** Every manifest in the models folder, sorted by id, with whether its .onnx is present. */
export function listModels(modelsDir: string = defaultModelsDir()): ModelInfo[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const manifestPath = join(modelsDir, f);
      const manifest = readManifest(manifestPath);
      const onnxPath = onnxPathFor(modelsDir, manifest.id);
      return { manifest, manifestPath, onnxPath, present: existsSync(onnxPath) };
    });
}

export function getModel(id: string, modelsDir: string = defaultModelsDir()): ModelInfo {
  const info = listModels(modelsDir).find((m) => m.manifest.id === id);
  if (!info) throw new ModelError('MODEL_NOT_FOUND', `no model "${id}" in ${modelsDir}`);
  if (!info.present) throw new ModelError('MODEL_NOT_PREPARED', `model "${id}" has no ${info.onnxPath}; run \`npm run models\``);
  return info;
}

export function readOnnxSignature(onnxPath: string): OnnxSignature {
  try {
    return inspectOnnx(readFileSync(onnxPath));
  } catch (e) {
    throw new ModelError('ONNX_UNREADABLE', `cannot read ONNX model ${onnxPath}: ${(e as Error).message}`);
  }
}

/** Throws MODEL_MISMATCH listing every disagreement between the graph and the manifest. */
export function validateOnnxAgainstManifest(onnxPath: string, manifest: ModelManifest): OnnxSignature {
  const sig = readOnnxSignature(onnxPath);
  const problems = signatureProblems(manifest, sig);
  if (problems.length) throw new ModelError('MODEL_MISMATCH', `ONNX model ${onnxPath} does not match manifest "${manifest.id}"`, problems);
  return sig;
}

/**
 * Adds a user's ONNX model (e.g. an SHM T-Net or M-Net) after checking its inputs and outputs
 * against the manifest; copies it into the models folder as `<id>.onnx` beside `<id>.json`.
 */
export function addUserModel(onnxPath: string, manifestInput: ModelManifestInput | unknown, modelsDir: string = defaultModelsDir()): ModelInfo {
  const manifest = parseManifest(manifestInput);
  if (manifest.preparation.method !== 'user-onnx') {
    throw new ModelError('MANIFEST_INVALID', 'a user model must use preparation.method "user-onnx"');
  }
  const manifestPath = join(modelsDir, `${manifest.id}.json`);
  if (existsSync(manifestPath)) throw new ModelError('MODEL_EXISTS', `a model with id "${manifest.id}" already exists in ${modelsDir}`);
  validateOnnxAgainstManifest(onnxPath, manifest);
  mkdirSync(modelsDir, { recursive: true });
  const target = onnxPathFor(modelsDir, manifest.id);
  const tmp = `${target}.${process.pid}.tmp.onnx`;
  copyFileSync(onnxPath, tmp);
  renameSync(tmp, target);
  // The manifest is written last: a model is listed only once its weights are in place.
  const jsonTmp = join(modelsDir, `.${manifest.id}.${process.pid}.tmp`);
  writeFileSync(jsonTmp, `${JSON.stringify({ ...manifest, preparation: { method: 'user-onnx', addedAt: new Date().toISOString() } }, null, 2)}\n`);
  renameSync(jsonTmp, manifestPath);
  return { manifest: readManifest(manifestPath), manifestPath, onnxPath: target, present: true };
}
