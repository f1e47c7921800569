/**
 * Run-length coding of a webcam matte for the wire. A matte is mostly fully transparent or fully
 * opaque, with a thin band between: at 640x480 the 307 KB of an alpha come to a few tens of KB,
 * which the page decodes with fill and set. Pure: no Node or DOM imports.
 *
 * The payload is a sequence of tokens, each a tag byte and a u16 little-endian count:
 *   0: count pixels of 0;   1: count pixels of 255;   2: count literal bytes follow.
 */

const ZEROS = 0;
const OPAQUE = 1;
const LITERAL = 2;
const MAX_COUNT = 0xffff;
/** Shorter runs of 0 or 255 stay inside a literal: a run costs a token of 3 bytes and splits the literal in two. */
const MIN_RUN = 8;

/** Largest payload encodeAlphaRuns can make for `pixels` bytes (each run saves more than the tokens it adds). */
export function maxAlphaRunsBytes(pixels: number): number {
  return pixels + 3 * (Math.ceil(pixels / MAX_COUNT) + 2);
}

/** Encodes `alpha` into `out` (at least maxAlphaRunsBytes long); returns the bytes written. */
export function encodeAlphaRuns(alpha: Uint8Array, out: Uint8Array): number {
  const n = alpha.length;
  let o = 0;
  let literal = -1;
  const token = (tag: number, count: number) => {
    out[o] = tag;
    out[o + 1] = count & 0xff;
    out[o + 2] = count >> 8;
    o += 3;
  };
  const flushLiteral = (end: number) => {
    for (let s = literal; s < end; s += MAX_COUNT) {
      const count = Math.min(MAX_COUNT, end - s);
      token(LITERAL, count);
      out.set(alpha.subarray(s, s + count), o);
      o += count;
    }
    literal = -1;
  };
  let i = 0;
  while (i < n) {
    const v = alpha[i];
    if (v === 0 || v === 255) {
      let j = i + 1;
      while (j < n && alpha[j] === v) j++;
      if (j - i >= MIN_RUN) {
        if (literal >= 0) flushLiteral(i);
        for (let left = j - i; left > 0; left -= MAX_COUNT) token(v === 0 ? ZEROS : OPAQUE, Math.min(MAX_COUNT, left));
      } else if (literal < 0) literal = i;
      i = j;
      continue;
    }
    if (literal < 0) literal = i;
    i++;
  }
  if (literal >= 0) flushLiteral(n);
  return o;
}

/** Decodes a payload into `out`, which it must fill exactly; a malformed payload is a RangeError. */
export function decodeAlphaRuns(payload: Uint8Array, out: Uint8Array): void {
  let i = 0;
  let o = 0;
  while (i < payload.length) {
    if (i + 3 > payload.length) throw new RangeError('alpha runs: a token is cut short');
    const tag = payload[i];
    const count = payload[i + 1] | (payload[i + 2] << 8);
    i += 3;
    if (o + count > out.length) throw new RangeError(`alpha runs: more than the ${out.length} pixels of the frame`);
    if (tag === ZEROS || tag === OPAQUE) out.fill(tag === ZEROS ? 0 : 255, o, o + count);
    else if (tag === LITERAL) {
      if (i + count > payload.length) throw new RangeError('alpha runs: a literal is cut short');
      out.set(payload.subarray(i, i + count), o);
      i += count;
    } else throw new RangeError(`alpha runs: unknown token ${tag}`);
    o += count;
  }
  if (o !== out.length) throw new RangeError(`alpha runs: ${o} pixels for a frame of ${out.length}`);
}
