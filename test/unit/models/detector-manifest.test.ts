import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelsDir, getModel, parseManifest, validateOnnxAgainstManifest } from '../../../src/engine/models/registry';
import { ModelError } from '../../../src/engine/models/errors';

const shipped = () => JSON.parse(readFileSync(join(defaultModelsDir(), 'face-short-range.json'), 'utf8')) as Record<string, unknown>;

describe('detector manifests', () => {
  it('the face detector ships with its licence and source package, as the segmenters do', () => {
    const m = parseManifest(shipped());
    expect(m.role).toBe('detector');
    expect(m.license.name).toBe('Apache-2.0');
    expect(m.source).toMatchObject({ package: '@mediapipe/face_detection', file: 'face_detection_short_range.tflite' });
    expect(m.detection?.strides).toEqual([8, 16, 16, 16]);
  });

  it('a detector needs its detection head, and only a detector has one', () => {
    const { detection, ...noHead } = shipped();
    expect(() => parseManifest(noHead)).toThrow(ModelError);
    expect(() => parseManifest(noHead)).toThrow('detection is required for, and only for, the detector role');
    const seg = JSON.parse(readFileSync(join(defaultModelsDir(), 'selfie-general.json'), 'utf8')) as Record<string, unknown>;
    expect(() => parseManifest({ ...seg, detection })).toThrow('detection is required for, and only for, the detector role');
  });

  it('the converted graph has as many anchors as the strides make, and a wrong head is named', () => {
    const info = getModel('face-short-range');
    expect(() => validateOnnxAgainstManifest(info.onnxPath, info.manifest)).not.toThrow();
    const wrong = parseManifest({ ...shipped(), detection: { ...(shipped().detection as object), keypoints: 5, strides: [8, 16] } });
    expect(() => validateOnnxAgainstManifest(info.onnxPath, wrong)).toThrow(/output "regressors" dimension 1 is 896, manifest implies 640/);
    expect(() => validateOnnxAgainstManifest(info.onnxPath, wrong)).toThrow(/output "regressors" dimension 2 is 16, manifest implies 14/);
  });
});
