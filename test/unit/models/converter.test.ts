import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { convertTfliteModel, UnsupportedOperatorError } from '../../../scripts/model-converter/convert/tflite-to-onnx.js';
import { halfToFloat, transpose } from '../../../scripts/model-converter/convert/tensor-data.js';
import { inspectOnnx } from '../../../src/engine/models/onnx/inspect.js';
import { readTflite, TfliteFormatError } from '../../../scripts/model-converter/tflite/reader.js';

const require = createRequire(import.meta.url);
const general = () => readTflite(readFileSync(require.resolve('@mediapipe/selfie_segmentation/selfie_segmentation.tflite')));

describe('float16 and layout helpers', () => {
  it('decodes float16 exactly', () => {
    expect([0x3c00, 0xc000, 0x3555, 0x0001, 0x7bff, 0x8000].map(halfToFloat)).toEqual([1, -2, 0.333251953125, 2 ** -24, 65504, -0]);
  });

  it('transposes OHWI → OIHW', () => {
    // shape [1, 1, 2, 3] (O, H, W, I): values index as w*3 + i
    const t = transpose(Float32Array.of(0, 1, 2, 3, 4, 5), [1, 1, 2, 3], [0, 3, 1, 2]);
    expect(t.shape).toEqual([1, 3, 1, 2]);
    expect(Array.from(t.data)).toEqual([0, 3, 1, 4, 2, 5]);
  });
});

describe('TFLite reader and converter', () => {
  it('reads the general model: one NHWC input, fp16 weights, MediaPipe custom op', () => {
    const m = general();
    expect(m.tensors[m.inputs[0]].shape).toEqual([1, 256, 256, 3]);
    expect(m.tensors[m.outputs[0]].shape).toEqual([1, 256, 256, 1]);
    expect(m.operators.filter((o) => o.op === 'DEQUANTIZE').length).toBe(110);
    expect(m.operators.some((o) => o.op === 'CUSTOM:Convolution2DTransposeBias')).toBe(true);
  });

  it('converts it to an ONNX graph with the same interface', () => {
    const r = convertTfliteModel(general(), { source_sha256: 'x' });
    const sig = inspectOnnx(r.onnx);
    expect(sig.inputs).toEqual([{ name: 'input_1', elemType: 1, dims: [1, 256, 256, 3] }]);
    expect(sig.outputs).toEqual([{ name: 'activation_10', elemType: 1, dims: [1, 256, 256, 1] }]);
    expect(sig.metadata.source_sha256).toBe('x');
    expect(r.operators.CONV_2D).toBe(43);
  });

  it('names an unsupported operator', () => {
    const m = general();
    const i = m.operators.findIndex((o) => o.op === 'HARD_SWISH');
    m.operators[i] = { ...m.operators[i], op: 'BUILTIN_150' };
    expect(() => convertTfliteModel(m)).toThrow(UnsupportedOperatorError);
    expect(() => convertTfliteModel(m)).toThrow('TFLite operator BUILTIN_150 is not supported');
  });

  it('refuses a file that is not a TFLite flatbuffer', () => {
    expect(() => readTflite(new TextEncoder().encode('definitely not a model'))).toThrow(TfliteFormatError);
  });
});
