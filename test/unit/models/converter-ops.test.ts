import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Builder } from 'flatbuffers';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convertTfliteModel, UnsupportedOperatorError } from '../../../scripts/model-converter/convert/tflite-to-onnx.js';
import { FbTable } from '../../../scripts/model-converter/tflite/table.js';
import { readTflite, type TfliteModel, type TfliteOperator, type TfliteTensor } from '../../../scripts/model-converter/tflite/reader.js';
import { inspectOnnx } from '../../../src/engine/models/onnx/inspect.js';

const require = createRequire(import.meta.url);

// Tiny TFLite graphs built in memory for the operators the face detector adds (PAD, RESHAPE,
// rank-3 CONCATENATION, several outputs); the expected values were printed by numpy
// (np.pad, ndarray.reshape, np.concatenate) on the same input, x = 1..12 shaped [1, 2, 2, 3].

function tensor(index: number, shape: number[], data: Int32Array | null = null): TfliteTensor {
  return { index, name: `v${index}`, shape, type: data ? 'int32' : 'float32', data: data ? new Uint8Array(data.buffer) : null };
}

/** A builtin options table with int32 fields (CONCATENATION: field 0 = axis). */
function options(fields: number[]): FbTable {
  const b = new Builder(64);
  b.startObject(fields.length);
  fields.forEach((v, i) => b.addFieldInt32(i, v, -1));
  b.finish(b.endObject());
  return FbTable.root(b.asUint8Array());
}

function op(name: string, inputs: number[], outputs: number[], opts: FbTable | null = null): TfliteOperator {
  return { op: name, inputs, outputs, options: opts, customOptions: new Uint8Array() };
}

// x[0] -PAD(t1)-> p[2] -RESHAPE-> r1[3]; x -RESHAPE-> r2[4]; CONCAT(r1, r2, axis 1) -> c[5]; r2 -RESHAPE-> r3[6]
function padReshapeConcatModel(): TfliteModel {
  return {
    version: 3,
    description: 'ops test',
    tensors: [
      tensor(0, [1, 2, 2, 3]),
      tensor(1, [4, 2], Int32Array.of(0, 0, 1, 0, 0, 1, 0, 1)),
      tensor(2, [1, 3, 3, 4]),
      tensor(3, [1, 18, 2]),
      tensor(4, [1, 6, 2]),
      tensor(5, [1, 24, 2]),
      tensor(6, [1, 3, 2, 2]),
    ],
    inputs: [0],
    outputs: [5, 2, 6],
    operators: [
      op('PAD', [0, 1], [2]),
      op('RESHAPE', [2], [3]),
      op('RESHAPE', [0], [4]),
      op('CONCATENATION', [3, 4], [5], options([1, 0])),
      op('RESHAPE', [4], [6]),
    ],
  };
}

const X = Float32Array.from({ length: 12 }, (_, i) => i + 1);
// numpy: np.pad(x, [(0,0),(1,0),(0,1),(0,1)]).flatten()
const PADDED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0, 0, 7, 8, 9, 0, 10, 11, 12, 0, 0, 0, 0, 0];
// numpy: np.concatenate([padded.reshape(1,18,2), x.reshape(1,6,2)], axis=1).flatten()
const CONCATENATED = [...PADDED, ...X];

async function run(model: TfliteModel): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(convertTfliteModel(model).onnx);
  try {
    return await session.run({ v0: new ort.Tensor('float32', X, [1, 2, 2, 3]) });
  } finally {
    await session.release();
  }
}

describe('converter: PAD, RESHAPE, rank-3 CONCATENATION and several outputs', () => {
  it('lists every graph output with its TFLite shape', () => {
    const r = convertTfliteModel(padReshapeConcatModel());
    expect(r.outputs).toEqual([
      { name: 'v5', shape: [1, 24, 2] },
      { name: 'v2', shape: [1, 3, 3, 4] },
      { name: 'v6', shape: [1, 3, 2, 2] },
    ]);
    expect(r.output).toEqual(r.outputs[0]);
  });

  it('PAD pads each NHWC axis as numpy does (the graph holds it NCHW inside)', async () => {
    const out = await run(padReshapeConcatModel());
    expect(out.v2.dims).toEqual([1, 3, 3, 4]);
    expect(Array.from(out.v2.data as Float32Array)).toEqual(PADDED);
  });

  it('RESHAPE of a rank-4 activation reads it in NHWC order, and a rank-3 CONCATENATION joins along its own axis', async () => {
    const out = await run(padReshapeConcatModel());
    expect(out.v5.dims).toEqual([1, 24, 2]);
    expect(Array.from(out.v5.data as Float32Array)).toEqual(CONCATENATED);
  });

  it('RESHAPE to rank 4 comes back NHWC at the output', async () => {
    const out = await run(padReshapeConcatModel());
    expect(out.v6.dims).toEqual([1, 3, 2, 2]);
    expect(Array.from(out.v6.data as Float32Array)).toEqual(Array.from(X));
  });

  it('refuses PAD with computed paddings', () => {
    const m = padReshapeConcatModel();
    m.tensors[1] = tensor(1, [4, 2]);
    expect(() => convertTfliteModel(m)).toThrow(UnsupportedOperatorError);
    expect(() => convertTfliteModel(m)).toThrow('paddings must be constant');
  });

  it('refuses RESHAPE to a dynamic shape', () => {
    const m = padReshapeConcatModel();
    m.tensors[4] = tensor(4, [1, -1, 2]);
    expect(() => convertTfliteModel(m)).toThrow('output shape must be static');
  });
});

describe('converter: MediaPipe\'s short-range face detector', () => {
  it('converts its channel PADs, head RESHAPEs and two outputs, keeping their names and shapes', () => {
    const r = convertTfliteModel(readTflite(readFileSync(require.resolve('@mediapipe/face_detection/face_detection_short_range.tflite'))));
    expect(r.operators).toMatchObject({ PAD: 11, RESHAPE: 4, CONCATENATION: 2, MAX_POOL_2D: 3 });
    const sig = inspectOnnx(r.onnx);
    expect(sig.inputs).toEqual([{ name: 'input', elemType: 1, dims: [1, 128, 128, 3] }]);
    expect(sig.outputs).toEqual([
      { name: 'regressors', elemType: 1, dims: [1, 896, 16] },
      { name: 'classificators', elemType: 1, dims: [1, 896, 1] },
    ]);
  });
});
