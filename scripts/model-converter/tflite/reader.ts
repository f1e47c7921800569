import { FbTable } from './table.js';

/** TFLite tensor element types we can read (schema.fbs `TensorType`). */
export const TENSOR_TYPES: Record<number, string> = {
  0: 'float32',
  1: 'float16',
  2: 'int32',
  3: 'uint8',
  4: 'int64',
  6: 'bool',
  7: 'int16',
  9: 'int8',
};

/** Builtin operator codes the reader names (schema.fbs `BuiltinOperator`); others keep their number. */
export const BUILTIN_NAMES: Record<number, string> = {
  0: 'ADD',
  1: 'AVERAGE_POOL_2D',
  2: 'CONCATENATION',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  9: 'FULLY_CONNECTED',
  14: 'LOGISTIC',
  17: 'MAX_POOL_2D',
  18: 'MUL',
  19: 'RELU',
  21: 'RELU6',
  22: 'RESHAPE',
  23: 'RESIZE_BILINEAR',
  25: 'SOFTMAX',
  28: 'TANH',
  32: 'CUSTOM',
  34: 'PAD',
  39: 'TRANSPOSE',
  40: 'MEAN',
  41: 'SUB',
  42: 'DIV',
  54: 'PRELU',
  55: 'MAXIMUM',
  57: 'MINIMUM',
  67: 'TRANSPOSE_CONV',
  97: 'RESIZE_NEAREST_NEIGHBOR',
  98: 'LEAKY_RELU',
  117: 'HARD_SWISH',
};

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: string;
  /** Constant data (weights), or null for activations. */
  data: Uint8Array | null;
}

export interface TfliteOperator {
  /** Builtin name (e.g. CONV_2D), `CUSTOM:<code>` for custom ops, or `BUILTIN_<n>` when unnamed. */
  op: string;
  inputs: number[];
  outputs: number[];
  /** The builtin options table, read by the converter with the field indices of its options type. */
  options: FbTable | null;
  customOptions: Uint8Array;
}

export interface TfliteModel {
  version: number;
  description: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export class TfliteFormatError extends Error {
  readonly code = 'TFLITE_FORMAT';
}

// Field indices from tensorflow/lite/schema/schema.fbs (a union takes two slots: type, value).
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 };
const OPCODE = { deprecatedBuiltin: 0, customCode: 1, builtinCode: 3 };
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3 };
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3 };
const BUFFER = { data: 0, offset: 1, size: 2 };
const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptions: 4, customOptions: 5 };

export function readTflite(bytes: Uint8Array): TfliteModel {
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(4, 8)) !== 'TFL3') {
    throw new TfliteFormatError('not a TensorFlow Lite flatbuffer (missing TFL3 identifier)');
  }
  const model = FbTable.root(bytes);
  const buffers = model.tables(MODEL.buffers).map((b) => {
    const data = b.bytes(BUFFER.data);
    if (data.length > 0) return data;
    const offset = b.u64(BUFFER.offset);
    const size = b.u64(BUFFER.size);
    return offset > 1 && size > 0 ? bytes.subarray(offset, offset + size) : null;
  });
  const opNames = model.tables(MODEL.operatorCodes).map((c) => {
    // Codes above 127 live only in the int32 field; older files only fill the byte field.
    const code = Math.max(c.i8(OPCODE.deprecatedBuiltin), c.i32(OPCODE.builtinCode));
    const name = BUILTIN_NAMES[code] ?? `BUILTIN_${code}`;
    return name === 'CUSTOM' ? `CUSTOM:${c.string(OPCODE.customCode) ?? ''}` : name;
  });
  const subgraphs = model.tables(MODEL.subgraphs);
  if (subgraphs.length !== 1) throw new TfliteFormatError(`expected one subgraph, found ${subgraphs.length}`);
  const sg = subgraphs[0];
  const tensors = sg.tables(SUBGRAPH.tensors).map((t, index): TfliteTensor => {
    const typeCode = t.i8(TENSOR.type);
    const type = TENSOR_TYPES[typeCode];
    if (!type) throw new TfliteFormatError(`tensor ${index}: unsupported element type ${typeCode}`);
    const data = buffers[t.u32(TENSOR.buffer)] ?? null;
    return { index, name: t.string(TENSOR.name) ?? `t${index}`, shape: t.i32s(TENSOR.shape), type, data };
  });
  const operators = sg.tables(SUBGRAPH.operators).map((o): TfliteOperator => {
    const op = opNames[o.u32(OPERATOR.opcodeIndex)];
    if (op === undefined) throw new TfliteFormatError('operator refers to a missing operator code');
    return {
      op,
      inputs: o.i32s(OPERATOR.inputs),
      outputs: o.i32s(OPERATOR.outputs),
      options: o.table(OPERATOR.builtinOptions),
      customOptions: o.bytes(OPERATOR.customOptions),
    };
  });
  return {
    version: model.u32(MODEL.version),
    description: model.string(MODEL.description) ?? '',
    tensors,
    inputs: sg.i32s(SUBGRAPH.inputs),
    outputs: sg.i32s(SUBGRAPH.outputs),
    operators,
  };
}
