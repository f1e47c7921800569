import fs from 'node:fs';
import path from 'node:path';
import type { TrainedPairInfo } from '../../shared/training';
import { writeJsonFileSync } from '../user/json-file';
import { addUserModel, listModels, ModelError, parseManifest, validateOnnxAgainstManifest, type ModelInfo } from '../models/registry';

/** The two halves of a trained pair, as training/export.py names them. */
export const PAIR_SUFFIXES = ['-tnet', '-mnet'] as const;

export function pairIds(pairId: string): [string, string] {
  return [`${pairId}${PAIR_SUFFIXES[0]}`, `${pairId}${PAIR_SUFFIXES[1]}`];
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The training data a manifest carries (the schema ignores the key; the studio reads it here), if any. */
export function trainingInfoOf(manifestPath: string): TrainedPairInfo | undefined {
  try {
    const t = readJson(manifestPath).training as Partial<TrainedPairInfo> | undefined;
    if (!t || typeof t !== 'object' || typeof t.pairId !== 'string' || typeof t.project !== 'string' || typeof t.images !== 'number') return undefined;
    return t as TrainedPairInfo;
  } catch {
    return undefined;
  }
}

/** Writes the training data into both manifests of a freshly exported pair. */
export function annotatePair(modelsDir: string, info: TrainedPairInfo): void {
  for (const id of pairIds(info.pairId)) {
    const file = path.join(modelsDir, `${id}.json`);
    writeJsonFileSync(file, { ...readJson(file), training: info });
  }
}

/** Whether a model id (or a pair's id) is taken in the folder. */
export function pairTaken(modelsDir: string, pairId: string): boolean {
  return pairIds(pairId).some((id) => fs.existsSync(path.join(modelsDir, `${id}.json`)) || fs.existsSync(path.join(modelsDir, `${id}.onnx`)));
}

/**
 * Deletes a user's model; for a trained pair both halves go. The manifests go first (the studio
 * stops listing the model), then the weights. Built-in models cannot be deleted.
 */
export function deleteUserModel(modelsDir: string, id: string): string[] {
  const models = listModels(modelsDir);
  const info = models.find((m) => m.manifest.id === id);
  if (!info) throw new ModelError('MODEL_NOT_FOUND', `no model "${id}" in ${modelsDir}`);
  if (info.manifest.preparation.method !== 'user-onnx') throw new ModelError('MANIFEST_INVALID', `"${id}" is a built-in model; only models you added can be deleted`);
  const pair = trainingInfoOf(info.manifestPath)?.pairId;
  const targets: ModelInfo[] = pair ? models.filter((m) => trainingInfoOf(m.manifestPath)?.pairId === pair) : [info];
  for (const m of targets) fs.rmSync(m.manifestPath, { force: true });
  for (const m of targets) fs.rmSync(m.onnxPath, { force: true });
  return targets.map((m) => m.manifest.id);
}

/**
 * Adds every exported model of a folder (`<id>.onnx` beside `<id>.json`, as training/export.py
 * writes them), training data included. Every model is checked before the first is copied.
 */
export function importModelFolder(dir: string, modelsDir: string): ModelInfo[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ModelError('MODEL_NOT_FOUND', `${dir} is not a folder`);
  const found = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .sort()
    .map((f) => ({ json: path.join(dir, f), onnx: path.join(dir, `${f.slice(0, -5)}.onnx`) }))
    .filter((f) => fs.existsSync(f.onnx));
  if (!found.length) throw new ModelError('MODEL_NOT_FOUND', `${dir} holds no exported model (an <id>.onnx beside its <id>.json)`);
  const checked = found.map((f) => {
    let raw: Record<string, unknown>;
    try {
      raw = readJson(f.json);
    } catch (e) {
      throw new ModelError('MANIFEST_INVALID', `cannot read model manifest ${f.json}: ${(e as Error).message}`);
    }
    const manifest = parseManifest(raw, f.json);
    if (fs.existsSync(path.join(modelsDir, `${manifest.id}.json`))) throw new ModelError('MODEL_EXISTS', `a model with id "${manifest.id}" already exists in ${modelsDir}`);
    validateOnnxAgainstManifest(f.onnx, manifest);
    return { ...f, raw };
  });
  return checked.map((f) => {
    const added = addUserModel(f.onnx, f.raw, modelsDir);
    if (f.raw.training) writeJsonFileSync(added.manifestPath, { ...readJson(added.manifestPath), training: f.raw.training });
    return added;
  });
}
