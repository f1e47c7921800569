import protobuf from 'protobufjs';

// The subset of onnx/onnx.proto (field numbers unchanged) that the converter writes and the
// validator reads. Unknown fields in user models are skipped by the decoder.
const ONNX_PROTO = `
syntax = "proto3";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; STRINGS = 8; }
  string name = 1;
  AttributeType type = 20;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; string doc_string = 3; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  string domain = 7;
  repeated AttributeProto attribute = 5;
  string doc_string = 6;
}
message StringStringEntryProto { string key = 1; string value = 2; }
message ModelProto {
  int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  string producer_name = 2;
  string producer_version = 3;
  string domain = 4;
  int64 model_version = 5;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  repeated float float_data = 4;
  repeated int32 int32_data = 5;
  repeated int64 int64_data = 7;
  string name = 8;
  bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } string denotation = 3; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
  string denotation = 6;
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
`;

/** ONNX TensorProto.DataType values used here. */
export const OnnxType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;

export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

let cached: protobuf.Type | null = null;

export function modelProtoType(): protobuf.Type {
  cached ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return cached;
}

// Plain-object shapes of the messages (keepCase names) for building and reading.
export interface TensorProtoObj {
  name: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
}
export interface AttributeObj {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProtoObj;
  floats?: number[];
  ints?: number[];
}
export interface NodeObj {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: AttributeObj[];
  domain?: string;
}
export interface ValueInfoObj {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number | { toNumber(): number }; dim_param?: string }[] } } };
}
export interface GraphObj {
  name: string;
  node: NodeObj[];
  initializer: TensorProtoObj[];
  input: ValueInfoObj[];
  output: ValueInfoObj[];
}
export interface ModelObj {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  producer_version?: string;
  doc_string?: string;
  graph: GraphObj;
  metadata_props?: { key: string; value: string }[];
}

export function encodeModel(model: ModelObj): Uint8Array {
  const type = modelProtoType();
  const err = type.verify(model);
  if (err) throw new Error(`invalid ONNX model object: ${err}`);
  return type.encode(type.fromObject(model)).finish();
}

export function decodeModel(bytes: Uint8Array): ModelObj {
  const type = modelProtoType();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: true, arrays: true }) as ModelObj;
}

export function valueInfo(name: string, elemType: number, dims: (number | string)[]): ValueInfoObj {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

export function floatTensor(name: string, dims: number[], data: Float32Array): TensorProtoObj {
  return { name, dims, data_type: OnnxType.FLOAT, raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export function int64Tensor(name: string, dims: number[], data: number[]): TensorProtoObj {
  const arr = BigInt64Array.from(data.map((v) => BigInt(v)));
  return { name, dims, data_type: OnnxType.INT64, raw_data: new Uint8Array(arr.buffer) };
}
