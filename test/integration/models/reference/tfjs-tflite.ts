/**
 * Reference runtime for parity tests: executes a .tflite graph operator by operator with
 * TensorFlow.js kernels (wasm backend), in the model's own NHWC layout. It shares only the
 * flatbuffer reader with the converter; weights layouts, padding and every kernel are TF.js's.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFloats, readInts } from '../../../../scripts/model-converter/convert/tensor-data.js';
import { readTflite, type TfliteModel, type TfliteOperator } from '../../../../scripts/model-converter/tflite/reader.js';

export async function useWasmBackend(): Promise<void> {
  if (tf.getBackend() !== 'wasm') {
    await tf.setBackend('wasm');
    await tf.ready();
  }
}

function act(x: tf.Tensor, code: number): tf.Tensor {
  if (code === 0) return x;
  if (code === 1) return tf.relu(x);
  if (code === 3) return tf.relu6(x);
  throw new Error(`reference: fused activation ${code}`);
}

export class TfjsTfliteReference {
  private readonly model: TfliteModel;
  private readonly weights = new Map<number, tf.Tensor>();

  constructor(bytes: Uint8Array) {
    this.model = readTflite(bytes);
    for (const op of this.model.operators) {
      if (op.op === 'DEQUANTIZE') {
        const t = this.model.tensors[op.inputs[0]];
        this.weights.set(op.outputs[0], tf.tensor(readFloats(t), t.shape));
      }
    }
  }

  get inputShape(): number[] {
    return this.model.tensors[this.model.inputs[0]].shape;
  }

  private w(i: number): tf.Tensor {
    const t = this.weights.get(i);
    if (t) return t;
    const src = this.model.tensors[i];
    return tf.tensor(readFloats(src), src.shape);
  }

  predict(input: Float32Array): Float32Array {
    return this.predictAll(input)[0];
  }

  /** Every graph output, in the model's order (a detector has two heads). */
  predictAll(input: Float32Array): Float32Array[] {
    return tf.tidy(() => {
      const env = new Map<number, tf.Tensor>([[this.model.inputs[0], tf.tensor(input, this.inputShape)]]);
      for (const op of this.model.operators) if (op.op !== 'DEQUANTIZE') env.set(op.outputs[0], this.step(op, env));
      return this.model.outputs.map((i) => env.get(i)!.dataSync() as Float32Array);
    });
  }

  private step(op: TfliteOperator, env: Map<number, tf.Tensor>): tf.Tensor {
    const x = env.get(op.inputs[0]) as tf.Tensor4D;
    const o = op.options;
    const pad = (f: number) => ((o?.i8(f) ?? 0) === 0 ? 'same' : 'valid');
    const operand = (i: number) => env.get(i) ?? this.w(i);
    switch (op.op) {
      case 'CONV_2D': {
        const f = tf.transpose(this.w(op.inputs[1]), [1, 2, 3, 0]) as tf.Tensor4D; // OHWI → HWIO
        const y = tf.conv2d(x, f, [o!.i32(2, 1), o!.i32(1, 1)], pad(0), 'NHWC', [o!.i32(5, 1), o!.i32(4, 1)]);
        return act(tf.add(y, this.w(op.inputs[2])), o!.i8(3));
      }
      case 'DEPTHWISE_CONV_2D': {
        const [, h, w, cm] = this.model.tensors[op.inputs[1]].shape;
        const c = x.shape[3];
        const f = tf.reshape(this.w(op.inputs[1]), [h, w, c, cm / c]) as tf.Tensor4D;
        const y = tf.depthwiseConv2d(x, f, [o!.i32(2, 1), o!.i32(1, 1)], pad(0), 'NHWC', [o!.i32(6, 1), o!.i32(5, 1)]);
        return act(tf.add(y, this.w(op.inputs[2])), o!.i8(4));
      }
      case 'MAX_POOL_2D':
        return act(tf.maxPool(x, [o!.i32(4, 1), o!.i32(3, 1)], [o!.i32(2, 1), o!.i32(1, 1)], pad(0)), o!.i8(5));
      case 'PAD': {
        const p = readInts(this.model.tensors[op.inputs[1]]);
        return tf.pad(x, p.map((_, i) => (i % 2 ? null : [p[i], p[i + 1]])).filter((v): v is [number, number] => v !== null));
      }
      case 'RESHAPE':
        return tf.reshape(x, this.model.tensors[op.outputs[0]].shape);
      case 'CONCATENATION':
        return act(tf.concat(op.inputs.map((i) => env.get(i)!), o?.i32(0) ?? 0), o?.i8(1) ?? 0);
      case 'AVERAGE_POOL_2D':
        return act(tf.avgPool(x, [o!.i32(4, 1), o!.i32(3, 1)], [o!.i32(2, 1), o!.i32(1, 1)], pad(0)), o!.i8(5));
      case 'MEAN':
        return tf.mean(x, readInts(this.model.tensors[op.inputs[1]]), o?.bool(0) ?? false);
      case 'ADD':
        return act(tf.add(operand(op.inputs[0]), operand(op.inputs[1])), o?.i8(0) ?? 0);
      case 'MUL':
        return act(tf.mul(operand(op.inputs[0]), operand(op.inputs[1])), o?.i8(0) ?? 0);
      case 'HARD_SWISH':
        return tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6);
      case 'LOGISTIC':
        return tf.sigmoid(x);
      case 'RELU':
        return tf.relu(x);
      case 'RESIZE_BILINEAR': {
        const [h, w] = readInts(this.model.tensors[op.inputs[1]]);
        return tf.image.resizeBilinear(x, [h, w], o?.bool(2) ?? false, o?.bool(3) ?? false);
      }
      case 'CUSTOM:Convolution2DTransposeBias': {
        const dv = new DataView(op.customOptions.buffer, op.customOptions.byteOffset, 12);
        const out = this.model.tensors[op.outputs[0]].shape as [number, number, number, number];
        const f = tf.transpose(this.w(op.inputs[1]), [1, 2, 0, 3]) as tf.Tensor4D; // OHWI → HWOI
        const padding = dv.getInt32(0, true) === 1 ? 'same' : 'valid';
        const y = tf.conv2dTranspose(x, f, out, [dv.getInt32(8, true), dv.getInt32(4, true)], padding);
        return tf.add(y, this.w(op.inputs[2]));
      }
      default:
        throw new Error(`reference runtime: operator ${op.op} not implemented`);
    }
  }
}
