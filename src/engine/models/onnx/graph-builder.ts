import { ATTR, encodeModel, floatTensor, int64Tensor, valueInfo, type AttributeObj, type NodeObj, type TensorProtoObj, type ValueInfoObj } from './proto.js';

export type AttrValue = number | string | number[] | { floats: number[] };

function attribute(name: string, value: AttrValue): AttributeObj {
  if (typeof value === 'string') return { name, type: ATTR.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: ATTR.INTS, ints: value };
  if (typeof value === 'object') return { name, type: ATTR.FLOATS, floats: value.floats };
  return Number.isInteger(value) ? { name, type: ATTR.INT, i: value } : { name, type: ATTR.FLOAT, f: value };
}

/** Accumulates nodes and initializers, then encodes an opset-17 ModelProto. */
export class OnnxGraphBuilder {
  private readonly nodes: NodeObj[] = [];
  private readonly initializers: TensorProtoObj[] = [];
  private readonly inputs: ValueInfoObj[] = [];
  private readonly outputs: ValueInfoObj[] = [];
  private counter = 0;

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Adds a node; float attributes that are whole numbers must be passed as `{ floats: [x] }` lists or via `floatAttr`. */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    const out = output ?? this.fresh(opType.toLowerCase());
    const attribute_ = Object.entries(attrs).map(([k, v]) => attribute(k, v));
    this.nodes.push({ name: this.fresh(`n_${opType}`), op_type: opType, input: inputs, output: [out], attribute: attribute_ });
    return out;
  }

  /** A node with a float attribute that may hold a whole number (e.g. Clip bounds, HardSigmoid alpha). */
  nodeWithFloats(opType: string, inputs: string[], floats: Record<string, number>, output?: string): string {
    const out = output ?? this.fresh(opType.toLowerCase());
    const attribute_: AttributeObj[] = Object.entries(floats).map(([name, f]) => ({ name, type: ATTR.FLOAT, f }));
    this.nodes.push({ name: this.fresh(`n_${opType}`), op_type: opType, input: inputs, output: [out], attribute: attribute_ });
    return out;
  }

  float(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push(floatTensor(name, dims, data));
    return name;
  }

  int64(name: string, data: number[]): string {
    this.initializers.push(int64Tensor(name, [data.length], data));
    return name;
  }

  input(name: string, elemType: number, dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: number, dims: (number | string)[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  encode(graphName: string, docString = '', metadata: Record<string, string> = {}): Uint8Array {
    return encodeModel({
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      producer_name: 'shm-studio',
      doc_string: docString,
      graph: { name: graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
      metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
  }
}
