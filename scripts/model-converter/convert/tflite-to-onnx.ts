import { OnnxGraphBuilder } from '../../../src/engine/models/onnx/graph-builder.js';
import { OnnxType } from '../../../src/engine/models/onnx/proto.js';
import { readTflite, type TfliteModel, type TfliteOperator, type TfliteTensor } from '../tflite/reader.js';
import { readFloats, readInts, transpose } from './tensor-data.js';

export class UnsupportedOperatorError extends Error {
  readonly code = 'UNSUPPORTED_OPERATOR';
  constructor(readonly operator: string, detail = '') {
    super(`TFLite operator ${operator} is not supported by the converter${detail ? `: ${detail}` : ''}`);
  }
}

/** Bumped whenever the emitted graph changes, so prepared models are rebuilt. */
export const CONVERTER_VERSION = 1;

export interface ConversionResult {
  onnx: Uint8Array;
  /** TFLite operator name → count, as found in the source model. */
  operators: Record<string, number>;
  input: { name: string; shape: number[] };
  /** The first graph output (a segmenter's only one). */
  output: { name: string; shape: number[] };
  /** Every graph output in the source model's order (a detector has box regressors and scores). */
  outputs: { name: string; shape: number[] }[];
}

/** The TFLite operators this converter maps (the MediaPipe selfie segmenters and short-range face detector). */
export const SUPPORTED_OPERATORS = [
  'ADD', 'MUL', 'SUB', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'MEAN', 'DEQUANTIZE',
  'HARD_SWISH', 'LOGISTIC', 'RELU', 'RELU6', 'TANH', 'RESIZE_BILINEAR', 'CONCATENATION',
  'CUSTOM:Convolution2DTransposeBias', 'TRANSPOSE_CONV', 'PAD', 'RESHAPE',
] as const;

// TFLite keeps activations NHWC; ONNX convolutions want NCHW. Every rank-4 activation is held
// NCHW inside the graph; the model input and rank-4 outputs are transposed at the edges so the
// ONNX model has the same NHWC interface as the .tflite file. Activations of other ranks (the
// detector's [1, boxes, values] heads) keep the TFLite layout as they are.
const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_AXIS_IN_NCHW = [0, 2, 3, 1];

const ACTIVATION = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4 };
const PADDING_SAME = 0; // schema.fbs Padding
const TFLITE_C_PADDING_SAME = 1; // TfLitePadding in the C API, used by MediaPipe's custom op blob

// Options field indices (schema.fbs) for the tables the converter reads.
const CONV = { padding: 0, strideW: 1, strideH: 2, act: 3, dilW: 4, dilH: 5 };
const DWCONV = { padding: 0, strideW: 1, strideH: 2, multiplier: 3, act: 4, dilW: 5, dilH: 6 };
const POOL = { padding: 0, strideW: 1, strideH: 2, filterW: 3, filterH: 4, act: 5 };
const BINARY = { act: 0 };
const RESIZE = { alignCorners: 2, halfPixel: 3 };
const CONCAT = { axis: 0, act: 1 };
const REDUCER = { keepDims: 0 };
const TCONV = { padding: 0, strideW: 1, strideH: 2, act: 3 };

function samePads(inSize: number, outSize: number, kernel: number, stride: number, dilation: number): [number, number] {
  const total = Math.max((outSize - 1) * stride + (kernel - 1) * dilation + 1 - inSize, 0);
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}

class Converter {
  private readonly g = new OnnxGraphBuilder();
  /** Folded constants (after DEQUANTIZE), by TFLite tensor index. */
  private readonly consts = new Map<number, Float32Array>();

  constructor(
    private readonly m: TfliteModel,
    private readonly metadata: Record<string, string>,
  ) {}

  private t(i: number): TfliteTensor {
    return this.m.tensors[i];
  }

  private name(i: number): string {
    return `t${i}`;
  }

  private isConst(i: number): boolean {
    return this.consts.has(i) || this.t(i).data !== null;
  }

  private floats(i: number): Float32Array {
    return this.consts.get(i) ?? readFloats(this.t(i));
  }

  private opts(op: TfliteOperator) {
    const o = op.options;
    return {
      i32: (f: number, d = 0) => (o ? o.i32(f, d) : d),
      i8: (f: number, d = 0) => (o ? o.i8(f, d) : d),
      bool: (f: number) => (o ? o.bool(f) : false),
    };
  }

  private activation(x: string, act: number, output: string, op: string): string {
    switch (act) {
      case ACTIVATION.NONE:
        return x === output ? x : this.g.node('Identity', [x], {}, output);
      case ACTIVATION.RELU:
        return this.g.node('Relu', [x], {}, output);
      case ACTIVATION.RELU6:
        return this.clip(x, 0, 6, output);
      case ACTIVATION.RELU_N1_TO_1:
        return this.clip(x, -1, 1, output);
      case ACTIVATION.TANH:
        return this.g.node('Tanh', [x], {}, output);
      default:
        throw new UnsupportedOperatorError(op, `fused activation ${act}`);
    }
  }

  private clip(x: string, lo: number, hi: number, output: string): string {
    const min = this.g.float(this.g.fresh('clip_min'), [], Float32Array.of(lo));
    const max = this.g.float(this.g.fresh('clip_max'), [], Float32Array.of(hi));
    return this.g.node('Clip', [x, min, max], {}, output);
  }

  /** Emits node `emit(out)` then the fused activation into the TFLite output's name. */
  private withActivation(op: TfliteOperator, act: number, emit: (out: string) => string): void {
    const output = this.name(op.outputs[0]);
    if (act === ACTIVATION.NONE) {
      emit(output);
      return;
    }
    this.activation(emit(this.g.fresh('pre_act')), act, output, op.op);
  }

  run(): ConversionResult {
    const { m, g } = this;
    if (m.inputs.length !== 1 || m.outputs.length < 1) throw new UnsupportedOperatorError('graph', 'expected one input and at least one output');
    const inT = this.t(m.inputs[0]);
    if (inT.shape.length !== 4) throw new UnsupportedOperatorError('graph', 'expected an NHWC input');
    g.input(inT.name, OnnxType.FLOAT, inT.shape);
    g.node('Transpose', [inT.name], { perm: NHWC_TO_NCHW }, this.name(m.inputs[0]));
    const operators: Record<string, number> = {};
    for (const op of m.operators) operators[op.op] = (operators[op.op] ?? 0) + 1;
    for (const op of m.operators) this.convert(op);
    const outputs = m.outputs.map((i) => {
      const outT = this.t(i);
      this.toTfliteLayout(this.name(i), outT.shape.length, outT.name);
      g.output(outT.name, OnnxType.FLOAT, outT.shape);
      return { name: outT.name, shape: outT.shape };
    });
    const onnx = g.encode('tflite_converted', m.description, { source_description: m.description, converter_version: String(CONVERTER_VERSION), ...this.metadata });
    return { onnx, operators, input: { name: inT.name, shape: inT.shape }, output: outputs[0], outputs };
  }

  /** A graph value in TFLite's layout: rank-4 values go back from NCHW to NHWC. */
  private toTfliteLayout(x: string, rank: number, output?: string): string {
    if (rank === 4) return this.g.node('Transpose', [x], { perm: NCHW_TO_NHWC }, output);
    return output ? this.g.node('Identity', [x], {}, output) : x;
  }

  /** A constant operand laid out to broadcast against NCHW activations. */
  private operand(i: number): string {
    if (!this.isConst(i)) {
      if (this.t(i).shape.length !== 4) throw new UnsupportedOperatorError('ADD/MUL', 'non-constant operand of rank other than 4');
      return this.name(i);
    }
    const shape = this.t(i).shape;
    let data = this.floats(i);
    let dims = shape;
    if (shape.length === 4) ({ data, shape: dims } = transpose(data, shape, NHWC_TO_NCHW));
    else if (shape.length === 1) dims = [shape[0], 1, 1];
    else if (shape.length !== 0) throw new UnsupportedOperatorError('ADD/MUL', `constant operand of rank ${shape.length}`);
    return this.g.float(this.g.fresh(`c${i}`), dims, data);
  }

  private convert(op: TfliteOperator): void {
    const { g } = this;
    const o = this.opts(op);
    const [x] = op.inputs;
    const out = this.name(op.outputs[0]);
    switch (op.op) {
      case 'DEQUANTIZE': {
        if (this.isConst(x)) {
          // float16 weights: fold to float32 at conversion time (the conversion is exact).
          this.consts.set(op.outputs[0], readFloats(this.t(x)));
        } else {
          g.node('Cast', [this.name(x)], { to: OnnxType.FLOAT }, out);
        }
        return;
      }
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        const depthwise = op.op === 'DEPTHWISE_CONV_2D';
        const f = depthwise ? DWCONV : CONV;
        const inShape = this.t(x).shape;
        const outShape = this.t(op.outputs[0]).shape;
        const wShape = this.t(op.inputs[1]).shape;
        // TFLite filters: conv OHWI, depthwise 1HW(C*M); ONNX wants OIHW with I = C/group.
        const w = transpose(this.floats(op.inputs[1]), wShape, depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2]);
        const [kh, kw] = [wShape[1], wShape[2]];
        const sH = o.i32(f.strideH, 1);
        const sW = o.i32(f.strideW, 1);
        const dH = o.i32(f.dilH, 1);
        const dW = o.i32(f.dilW, 1);
        const same = o.i8(f.padding) === PADDING_SAME;
        const [pt, pb] = same ? samePads(inShape[1], outShape[1], kh, sH, dH) : [0, 0];
        const [pl, pr] = same ? samePads(inShape[2], outShape[2], kw, sW, dW) : [0, 0];
        const inputs = [this.name(x), g.float(g.fresh(`w${op.inputs[1]}`), w.shape, w.data)];
        if (op.inputs[2] !== undefined && op.inputs[2] >= 0) {
          inputs.push(g.float(g.fresh(`b${op.inputs[2]}`), [outShape[3]], this.floats(op.inputs[2])));
        }
        const attrs = {
          kernel_shape: [kh, kw],
          strides: [sH, sW],
          dilations: [dH, dW],
          pads: [pt, pl, pb, pr],
          group: depthwise ? inShape[3] : 1,
        };
        this.withActivation(op, o.i8(f.act), (name) => g.node('Conv', inputs, attrs, name));
        return;
      }
      case 'CUSTOM:Convolution2DTransposeBias':
      case 'TRANSPOSE_CONV': {
        const custom = op.op.startsWith('CUSTOM');
        // Builtin inputs: (output_shape, weights, input[, bias]); MediaPipe's: (input, weights, bias).
        const [xi, wi, bi] = custom ? op.inputs : [op.inputs[2], op.inputs[1], op.inputs[3]];
        let same: boolean;
        let sH: number;
        let sW: number;
        let act = ACTIVATION.NONE;
        if (custom) {
          // MediaPipe stores a raw TfLiteTransposeConvParams struct: padding, stride_w, stride_h (int32 LE).
          if (op.customOptions.length < 12) throw new UnsupportedOperatorError(op.op, 'custom options shorter than 12 bytes');
          const dv = new DataView(op.customOptions.buffer, op.customOptions.byteOffset, op.customOptions.byteLength);
          same = dv.getInt32(0, true) === TFLITE_C_PADDING_SAME;
          sW = dv.getInt32(4, true);
          sH = dv.getInt32(8, true);
        } else {
          same = o.i8(TCONV.padding) === PADDING_SAME;
          sW = o.i32(TCONV.strideW, 1);
          sH = o.i32(TCONV.strideH, 1);
          act = o.i8(TCONV.act);
        }
        const inShape = this.t(xi).shape;
        const outShape = this.t(op.outputs[0]).shape;
        const wShape = this.t(wi).shape; // OHWI
        const w = transpose(this.floats(wi), wShape, [3, 0, 1, 2]); // → (I, O, H, W)
        const [kh, kw] = [wShape[1], wShape[2]];
        // The transposed conv undoes a forward conv from out→in; its padding is that conv's padding.
        const [pt, pb] = same ? samePads(outShape[1], inShape[1], kh, sH, 1) : [0, 0];
        const [pl, pr] = same ? samePads(outShape[2], inShape[2], kw, sW, 1) : [0, 0];
        const extraH = outShape[1] - (sH * (inShape[1] - 1) + kh - pt - pb);
        const extraW = outShape[2] - (sW * (inShape[2] - 1) + kw - pl - pr);
        if (extraH < 0 || extraW < 0) throw new UnsupportedOperatorError(op.op, 'output shape smaller than the padding implies');
        const inputs = [this.name(xi), g.float(g.fresh(`w${wi}`), w.shape, w.data)];
        if (bi !== undefined && bi >= 0) inputs.push(g.float(g.fresh(`b${bi}`), [outShape[3]], this.floats(bi)));
        const attrs = {
          kernel_shape: [kh, kw],
          strides: [sH, sW],
          pads: [pt, pl, pb, pr],
          output_padding: [extraH, extraW],
        };
        this.withActivation(op, act, (name) => g.node('ConvTranspose', inputs, attrs, name));
        return;
      }
      case 'AVERAGE_POOL_2D':
      case 'MAX_POOL_2D': {
        const inShape = this.t(x).shape;
        const outShape = this.t(op.outputs[0]).shape;
        const [fh, fw] = [o.i32(POOL.filterH, 1), o.i32(POOL.filterW, 1)];
        const avg = op.op === 'AVERAGE_POOL_2D';
        const global = fh === inShape[1] && fw === inShape[2] && outShape[1] === 1 && outShape[2] === 1;
        this.withActivation(op, o.i8(POOL.act), (name) => {
          if (global) return g.node(avg ? 'GlobalAveragePool' : 'GlobalMaxPool', [this.name(x)], {}, name);
          const sH = o.i32(POOL.strideH, 1);
          const sW = o.i32(POOL.strideW, 1);
          const same = o.i8(POOL.padding) === PADDING_SAME;
          const [pt, pb] = same ? samePads(inShape[1], outShape[1], fh, sH, 1) : [0, 0];
          const [pl, pr] = same ? samePads(inShape[2], outShape[2], fw, sW, 1) : [0, 0];
          // TFLite averages over the valid (unpadded) cells only, as ONNX does with count_include_pad=0.
          return g.node(avg ? 'AveragePool' : 'MaxPool', [this.name(x)], { kernel_shape: [fh, fw], strides: [sH, sW], pads: [pt, pl, pb, pr] }, name);
        });
        return;
      }
      case 'MEAN': {
        const inShape = this.t(x).shape;
        const axes = readInts(this.t(op.inputs[1])).map((a) => (a < 0 ? a + inShape.length : a));
        const keep = this.opts(op).bool(REDUCER.keepDims);
        if (inShape.length !== 4 || !keep) throw new UnsupportedOperatorError(op.op, 'only rank-4 MEAN with keep_dims');
        const spatial = axes.length === 2 && axes.includes(1) && axes.includes(2);
        if (spatial) g.node('GlobalAveragePool', [this.name(x)], {}, out);
        else g.node('ReduceMean', [this.name(x)], { axes: axes.map((a) => NHWC_AXIS_IN_NCHW[a]), keepdims: 1 }, out);
        return;
      }
      case 'ADD':
      case 'MUL':
      case 'SUB': {
        const onnxOp = { ADD: 'Add', MUL: 'Mul', SUB: 'Sub' }[op.op];
        const a = this.operand(op.inputs[0]);
        const b = this.operand(op.inputs[1]);
        this.withActivation(op, o.i8(BINARY.act), (name) => g.node(onnxOp, [a, b], {}, name));
        return;
      }
      case 'HARD_SWISH':
        g.node('HardSwish', [this.name(x)], {}, out);
        return;
      case 'LOGISTIC':
        g.node('Sigmoid', [this.name(x)], {}, out);
        return;
      case 'RELU':
        g.node('Relu', [this.name(x)], {}, out);
        return;
      case 'TANH':
        g.node('Tanh', [this.name(x)], {}, out);
        return;
      case 'RELU6':
        this.clip(this.name(x), 0, 6, out);
        return;
      case 'RESIZE_BILINEAR': {
        const [h, w] = readInts(this.t(op.inputs[1]));
        const c = this.t(x).shape[3];
        const mode = this.opts(op).bool(RESIZE.alignCorners)
          ? 'align_corners'
          : this.opts(op).bool(RESIZE.halfPixel)
            ? 'half_pixel'
            : 'asymmetric';
        const sizes = g.int64(g.fresh('sizes'), [1, c, h, w]);
        g.node('Resize', [this.name(x), '', '', sizes], { mode: 'linear', coordinate_transformation_mode: mode }, out);
        return;
      }
      case 'PAD': {
        // Paddings are [rank, 2] (before, after) per TFLite axis; ONNX wants all befores then all afters.
        const rank = this.t(x).shape.length;
        if (!this.isConst(op.inputs[1])) throw new UnsupportedOperatorError(op.op, 'paddings must be constant');
        const p = readInts(this.t(op.inputs[1]));
        if (p.length !== rank * 2) throw new UnsupportedOperatorError(op.op, `paddings of ${p.length} values for rank ${rank}`);
        const axes = rank === 4 ? NHWC_TO_NCHW : [...Array(rank).keys()];
        const pads = [...axes.map((a) => p[a * 2]), ...axes.map((a) => p[a * 2 + 1])];
        g.node('Pad', [this.name(x), g.int64(g.fresh('pads'), pads)], { mode: 'constant' }, out);
        return;
      }
      case 'RESHAPE': {
        // The target is the output tensor's static shape (the new_shape input or option says the same).
        const inRank = this.t(x).shape.length;
        const outShape = this.t(op.outputs[0]).shape;
        if (outShape.length === 0 || outShape.some((d) => d < 0)) throw new UnsupportedOperatorError(op.op, 'output shape must be static');
        // TFLite reshapes its row-major NHWC data: go back to that layout, reshape, and come back.
        const flat = this.toTfliteLayout(this.name(x), inRank);
        const shape = g.int64(g.fresh('shape'), outShape);
        if (outShape.length === 4) g.node('Transpose', [g.node('Reshape', [flat, shape])], { perm: NHWC_TO_NCHW }, out);
        else g.node('Reshape', [flat, shape], {}, out);
        return;
      }
      case 'CONCATENATION': {
        const rank = this.t(x).shape.length;
        let axis = o.i32(CONCAT.axis);
        if (axis < 0) axis += rank;
        if (rank === 4) axis = NHWC_AXIS_IN_NCHW[axis];
        if (op.inputs.some((i) => this.isConst(i))) throw new UnsupportedOperatorError(op.op, 'constant inputs');
        this.withActivation(op, o.i8(CONCAT.act), (name) => g.node('Concat', op.inputs.map((i) => this.name(i)), { axis }, name));
        return;
      }
      default:
        throw new UnsupportedOperatorError(op.op);
    }
  }
}

/** `metadata` lands in the ONNX metadata_props (prepare-models records the source sha256 there). */
export function convertTfliteModel(model: TfliteModel, metadata: Record<string, string> = {}): ConversionResult {
  return new Converter(model, metadata).run();
}

export function convertTflite(bytes: Uint8Array, metadata: Record<string, string> = {}): ConversionResult {
  return convertTfliteModel(readTflite(bytes), metadata);
}
