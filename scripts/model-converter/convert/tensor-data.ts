import type { TfliteTensor } from '../tflite/reader.js';

/** IEEE 754 half → float (exact: every float16 is representable in float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** Reads a constant tensor as float32 (dequantising float16). */
export function readFloats(t: TfliteTensor): Float32Array {
  if (!t.data) throw new Error(`tensor ${t.name} has no constant data`);
  const dv = view(t.data);
  switch (t.type) {
    case 'float32':
      return Float32Array.from({ length: t.data.length / 4 }, (_, i) => dv.getFloat32(i * 4, true));
    case 'float16':
      return Float32Array.from({ length: t.data.length / 2 }, (_, i) => halfToFloat(dv.getUint16(i * 2, true)));
    default:
      throw new Error(`tensor ${t.name}: expected float data, got ${t.type}`);
  }
}

export function readInts(t: TfliteTensor): number[] {
  if (!t.data) throw new Error(`tensor ${t.name} has no constant data`);
  const dv = view(t.data);
  if (t.type === 'int32') return Array.from({ length: t.data.length / 4 }, (_, i) => dv.getInt32(i * 4, true));
  if (t.type === 'int64') return Array.from({ length: t.data.length / 8 }, (_, i) => Number(dv.getBigInt64(i * 8, true)));
  throw new Error(`tensor ${t.name}: expected integer data, got ${t.type}`);
}

/** Permutes a dense row-major array: out[perm-indexed] so that out.shape[i] = shape[perm[i]]. */
export function transpose(data: Float32Array, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]);
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; s *= shape[i], i--) inStrides[i] = s;
  const permStrides = perm.map((p) => inStrides[p]);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * permStrides[d];
    out[o] = data[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}
