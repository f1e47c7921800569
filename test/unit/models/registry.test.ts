import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addUserModel, listModels, ModelError, ModelManifest, defaultModelsDir } from '../../../src/engine/models/registry.js';
import { conv1x1Model, mnetManifest, tnetManifest, writeTinyShm } from './tiny-models.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'shm-models-'));

function catchModelError(fn: () => unknown): ModelError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('expected a ModelError');
}

describe('model manifests', () => {
  it('the committed manifests parse and point at the repository models folder', () => {
    const dir = defaultModelsDir();
    expect(dir.endsWith('/models')).toBe(true);
    const ids = listModels(dir).map((m) => m.manifest.id);
    expect(ids).toEqual(expect.arrayContaining(['selfie-general', 'selfie-landscape']));
  });

  it('rejects a role whose output meaning does not fit', () => {
    const bad = { ...tnetManifest(4), output: { name: 'y', layout: 'NCHW', meaning: 'alpha' } };
    const r = ModelManifest.safeParse(bad);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/role trimap needs output meaning trimap-logits/);
  });

  it('requires trimapChannels for a matting model', () => {
    const m = mnetManifest(4);
    const { trimapChannels: _drop, ...input } = m.input;
    expect(ModelManifest.safeParse({ ...m, input }).success).toBe(false);
  });
});

describe('addUserModel', () => {
  it('adds matching T-Net and M-Net models and lists them', () => {
    const dir = tmp();
    const src = writeTinyShm(dir, 4);
    const models = join(dir, 'models');
    addUserModel(src.tnet, tnetManifest(4), models);
    const info = addUserModel(src.mnet, mnetManifest(4), models);
    expect(info.present).toBe(true);
    expect(readFileSync(info.onnxPath)).toEqual(readFileSync(src.mnet));
    expect(listModels(models).map((m) => [m.manifest.id, m.manifest.role, m.present])).toEqual([
      ['tiny-mnet', 'matting', true],
      ['tiny-tnet', 'trimap', true],
    ]);
  });

  it('reports every mismatch between the ONNX graph and the manifest', () => {
    const dir = tmp();
    const onnx = join(dir, 'x.onnx');
    // 5×5 input and 2 output channels, where the manifest says 4×4 and 3 classes.
    writeFileSync(onnx, conv1x1Model('image', 'trimap', 3, [[1, 0, 0], [0, 1, 0]], [0, 0], 5));
    const e = catchModelError(() => addUserModel(onnx, tnetManifest(4), join(dir, 'models')));
    expect(e.code).toBe('MODEL_MISMATCH');
    expect(e.problems).toEqual([
      'input "image" dimension 2 is 5, manifest implies 4 (shape [1, 3, 4, 4])',
      'input "image" dimension 3 is 5, manifest implies 4 (shape [1, 3, 4, 4])',
      'output "trimap" dimension 1 is 2, manifest implies 3 (shape [1, 3, *, *])',
    ]);
    expect(listModels(join(dir, 'models'))).toEqual([]);
  });

  it('names a missing input', () => {
    const dir = tmp();
    const onnx = join(dir, 'x.onnx');
    writeFileSync(onnx, conv1x1Model('rgb', 'trimap', 3, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], 4));
    const e = catchModelError(() => addUserModel(onnx, tnetManifest(4), join(dir, 'models')));
    expect(e.problems).toEqual(['input "image" not found; the model has "rgb"']);
  });

  it('rejects an M-Net with 3 input channels instead of image + trimap (6)', () => {
    const dir = tmp();
    const onnx = join(dir, 'x.onnx');
    writeFileSync(onnx, conv1x1Model('image_trimap', 'alpha', 3, [[1, 1, 1]], [0], 4));
    const e = catchModelError(() => addUserModel(onnx, mnetManifest(4), join(dir, 'models')));
    expect(e.problems).toEqual(['input "image_trimap" dimension 1 is 3, manifest implies 6 (shape [1, 6, 4, 4])']);
  });

  it('rejects an unreadable file, an invalid manifest and a duplicate id with their codes', () => {
    const dir = tmp();
    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'not a model');
    const models = join(dir, 'models');
    expect(catchModelError(() => addUserModel(junk, tnetManifest(4), models)).code).toBe('ONNX_UNREADABLE');
    expect(catchModelError(() => addUserModel(junk, { ...tnetManifest(4), id: 'Bad Id' }, models)).code).toBe('MANIFEST_INVALID');
    const src = writeTinyShm(dir, 4);
    addUserModel(src.tnet, tnetManifest(4), models);
    expect(catchModelError(() => addUserModel(src.tnet, tnetManifest(4), models)).code).toBe('MODEL_EXISTS');
  });
});
