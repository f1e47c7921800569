import { ByteBuffer } from 'flatbuffers';

/**
 * A flatbuffer table read by field index (the n-th field of a schema table), so the TFLite
 * accessors below can name only the fields they need instead of carrying generated code.
 */
export class FbTable {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}

  static root(bytes: Uint8Array): FbTable {
    const bb = new ByteBuffer(bytes);
    return new FbTable(bb, bb.readInt32(bb.position()) + bb.position());
  }

  private field(index: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * index);
  }

  has(index: number): boolean {
    return this.field(index) !== 0;
  }

  u8(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readUint8(this.pos + o) : fallback;
  }

  i8(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }

  i32(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }

  u32(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readUint32(this.pos + o) : fallback;
  }

  u64(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? Number(this.bb.readUint64(this.pos + o)) : fallback;
  }

  bool(index: number, fallback = false): boolean {
    const o = this.field(index);
    return o ? this.bb.readUint8(this.pos + o) !== 0 : fallback;
  }

  string(index: number): string | null {
    const o = this.field(index);
    return o ? (this.bb.__string(this.pos + o) as string) : null;
  }

  table(index: number): FbTable | null {
    const o = this.field(index);
    return o ? new FbTable(this.bb, this.bb.__indirect(this.pos + o)) : null;
  }

  tables(index: number): FbTable[] {
    const o = this.field(index);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    const out: FbTable[] = [];
    for (let i = 0; i < n; i++) out.push(new FbTable(this.bb, this.bb.__indirect(start + 4 * i)));
    return out;
  }

  i32s(index: number): number[] {
    const o = this.field(index);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.bb.readInt32(start + 4 * i));
    return out;
  }

  /** A [ubyte] vector as a view on the file's bytes (no copy). */
  bytes(index: number): Uint8Array {
    const o = this.field(index);
    if (!o) return new Uint8Array(0);
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    const all = this.bb.bytes();
    return all.subarray(start, start + n);
  }
}
