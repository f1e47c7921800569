import { decodeModel, OnnxType, type ValueInfoObj } from './proto.js';

export interface OnnxIo {
  name: string;
  elemType: number;
  /** A number for a fixed dimension, a string for a symbolic one, null when unknown. */
  dims: (number | string | null)[] | null;
}

export interface OnnxSignature {
  inputs: OnnxIo[];
  outputs: OnnxIo[];
  metadata: Record<string, string>;
}

function io(v: ValueInfoObj): OnnxIo {
  const t = v.type?.tensor_type;
  const dims = t?.shape?.dim
    ? t.shape.dim.map((d) => {
        const value = d.dim_value === undefined ? 0 : typeof d.dim_value === 'number' ? d.dim_value : d.dim_value.toNumber();
        return value > 0 ? value : d.dim_param ? d.dim_param : null;
      })
    : null;
  return { name: v.name, elemType: t?.elem_type ?? 0, dims };
}

/** Reads the graph's real inputs (initializers excluded) and outputs from ONNX bytes. */
export function inspectOnnx(bytes: Uint8Array): OnnxSignature {
  const model = decodeModel(bytes);
  if (!model.graph) throw new Error('no graph in the ONNX file');
  const init = new Set(model.graph.initializer.map((t) => t.name));
  return {
    inputs: model.graph.input.filter((v) => !init.has(v.name)).map(io),
    outputs: model.graph.output.map(io),
    metadata: Object.fromEntries((model.metadata_props ?? []).map((p) => [p.key, p.value])),
  };
}

export const FLOAT_TYPE = OnnxType.FLOAT;
