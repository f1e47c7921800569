import { describe, expect, it } from 'vitest';
import { decodeAlphaRuns, encodeAlphaRuns, maxAlphaRunsBytes } from '../../../src/shared/alpha-runs';
import { FRAME_HEADER_BYTES, FrameProtocolError, decodeMessage, encodeAlpha } from '../../../src/shared/webcam';

/** Bytes that differ (toEqual on 300k-element arrays takes seconds). */
const differing = (a: Uint8Array, b: Uint8Array) => (a.length === b.length ? a.reduce((n, v, i) => n + (v === b[i] ? 0 : 1), 0) : Infinity);

function roundTrip(alpha: Uint8Array): number {
  const out = new Uint8Array(maxAlphaRunsBytes(alpha.length));
  const bytes = encodeAlphaRuns(alpha, out);
  const back = new Uint8Array(alpha.length);
  decodeAlphaRuns(out.subarray(0, bytes), back);
  expect(differing(back, alpha)).toBe(0);
  return bytes;
}

/** A 640x480 matte: an opaque disc with a soft 6 px edge, transparent around it. */
function discMatte(width = 640, height = 480): Uint8Array {
  const alpha = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - width / 2, y - height / 2) - 150;
      alpha[y * width + x] = Math.round(255 * Math.min(1, Math.max(0, 0.5 - d / 6)));
    }
  }
  return alpha;
}

describe('alpha run-length coding', () => {
  it('codes a matte in a small fraction of its bytes and decodes it exactly', () => {
    const bytes = roundTrip(discMatte());
    expect(bytes).toBeLessThan((640 * 480) / 20);
  });

  it('decodes runs longer than one token, noise, short runs inside literals and the empty matte exactly, within the size bound', () => {
    let seed = 7;
    const noise = Uint8Array.from({ length: 200_000 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    const cases = [new Uint8Array(300_000), new Uint8Array(300_000).fill(255), noise, Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 < 5 ? 0 : 255)), Uint8Array.of(0, 0, 3, 255), new Uint8Array(0)];
    for (const alpha of cases) expect(roundTrip(alpha)).toBeLessThanOrEqual(maxAlphaRunsBytes(alpha.length));
  });

  it.each([
    ['a cut token', Uint8Array.of(0, 4)],
    ['a cut literal', Uint8Array.of(2, 4, 0, 9, 9)],
    ['an unknown token', Uint8Array.of(7, 4, 0)],
    ['too many pixels', Uint8Array.of(0, 5, 0)],
    ['too few pixels', Uint8Array.of(1, 3, 0)],
  ])('refuses %s', (_name, payload) => {
    expect(() => decodeAlphaRuns(payload, new Uint8Array(4))).toThrow(RangeError);
  });

  it('is what an alpha message carries by default; decodeMessage gives the raw bytes back and refuses a bad payload with a FrameProtocolError', () => {
    const alpha = discMatte();
    const timings = { modelMs: 1, refineMs: 2, transferMs: 3 };
    const runs = encodeAlpha(5, 640, 480, alpha, timings, 'cpu');
    const raw = encodeAlpha(5, 640, 480, alpha, timings, 'cpu', 'auto', 'raw');
    expect(raw.byteLength).toBe(FRAME_HEADER_BYTES + 640 * 480);
    expect(runs.byteLength).toBeLessThan(raw.byteLength / 20);
    for (const buffer of [runs, raw]) {
      const m = decodeMessage(buffer);
      if (m.kind !== 'alpha') throw new Error('not an alpha');
      expect(differing(m.alpha, alpha)).toBe(0);
      expect(m.timings).toEqual(timings);
    }
    const broken = new Uint8Array(runs.slice(0, runs.byteLength - 1));
    expect(() => decodeMessage(broken)).toThrow(FrameProtocolError);
  });
});
