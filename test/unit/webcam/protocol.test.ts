import { describe, expect, it } from 'vitest';
import {
  FRAME_HEADER_BYTES,
  FrameProtocolError,
  alphaCoverage,
  allocateFrame,
  decodeMessage,
  encodeAlpha,
  encodeControl,
  encodeFrame,
  encodeNotice,
} from '../../../src/shared/webcam';

describe('webcam frame protocol', () => {
  it('round-trips a frame, keeping the pixels as a view on the message (no copy on decode)', () => {
    const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => i * 5);
    const buffer = encodeFrame(7, 3, 2, rgba, true);
    expect(buffer.byteLength).toBe(FRAME_HEADER_BYTES + rgba.length);
    const message = decodeMessage(buffer);
    expect(message).toMatchObject({ kind: 'frame', seq: 7, width: 3, height: 2, snapshot: true });
    if (message.kind !== 'frame') throw new Error('not a frame');
    expect(message.format).toBe('rgba');
    expect([...message.pixels]).toEqual([...rgba]);
    expect(message.pixels.buffer).toBe(buffer);
  });

  it('decodes from a Node Buffer that is a slice of a larger pool', () => {
    const frame = allocateFrame(1, 1, 1);
    frame.pixels.set([1, 2, 3, 255]);
    const pool = Buffer.alloc(100 + frame.buffer.byteLength);
    Buffer.from(frame.buffer).copy(pool, 100);
    const message = decodeMessage(pool.subarray(100));
    expect(message).toMatchObject({ kind: 'frame', seq: 1, snapshot: false });
    if (message.kind === 'frame') expect([...message.pixels]).toEqual([1, 2, 3, 255]);
  });

  it('round-trips an I420 frame (odd sizes round the chroma planes up) and names its format', () => {
    // 3x3: a 9-byte Y plane, then 2x2 U and V planes.
    const i420 = Uint8Array.from({ length: 9 + 2 * 4 }, (_, i) => i);
    const message = decodeMessage(encodeFrame(2, 3, 3, i420, false, 'i420'));
    expect(message).toMatchObject({ kind: 'frame', seq: 2, width: 3, height: 3, format: 'i420' });
    if (message.kind === 'frame') expect([...message.pixels]).toEqual([...i420]);
    expect(() => encodeFrame(2, 3, 3, new Uint8Array(9 + 2 * 2), false, 'i420')).toThrow(/17 I420 bytes/);
  });

  it('round-trips an alpha reply with its timings and provider', () => {
    const alpha = Uint8Array.of(0, 128, 255, 10);
    const message = decodeMessage(encodeAlpha(0xfffffffe, 2, 2, alpha, { modelMs: 5.5, refineMs: 7.25, transferMs: 0.5 }, 'webgpu', 'pair'));
    expect(message).toEqual({
      kind: 'alpha',
      seq: 0xfffffffe,
      width: 2,
      height: 2,
      timings: { modelMs: 5.5, refineMs: 7.25, transferMs: 0.5 },
      provider: 'webgpu',
      model: 'pair',
      alpha: expect.any(Uint8Array),
    });
    if (message.kind === 'alpha') expect([...message.alpha]).toEqual([0, 128, 255, 10]);
  });

  it('round-trips a notice', () => {
    expect(decodeMessage(encodeNotice({ seq: 3, level: 'info', code: 'SNAPSHOT_SAVED', text: 'Saved “snap 1”' }))).toEqual({
      kind: 'notice',
      seq: 3,
      level: 'info',
      code: 'SNAPSHOT_SAVED',
      text: 'Saved “snap 1”',
    });
  });

  it('round-trips the model list notice and the control requests', () => {
    const models = [{ id: 'auto', label: 'Automatic' }, { id: 'p1', label: 'Pair p1' }];
    expect(decodeMessage(encodeNotice({ seq: 0, level: 'info', code: 'MODELS', text: '', models, model: models[1] }))).toMatchObject({ code: 'MODELS', models, model: models[1] });
    expect(decodeMessage(encodeControl(4, { request: 'select', model: 'p1' }))).toEqual({ kind: 'control', seq: 4, control: { request: 'select', model: 'p1' } });
    expect(decodeMessage(encodeControl(5, { request: 'list' }))).toEqual({ kind: 'control', seq: 5, control: { request: 'list' } });
  });

  it.each([
    ['a control request of an unknown kind', encodeControl(1, { request: 'shutdown' } as never)],
    ['a select without a model', encodeControl(1, { request: 'select' } as never)],
    ['a control payload that is not JSON', (() => { const b = new Uint8Array(encodeControl(1, { request: 'list' })); b[b.length - 1] = 0x7b; return b; })()],
    ['a short message', new Uint8Array(10)],
    ['a wrong magic byte', new Uint8Array(FRAME_HEADER_BYTES + 4)],
    ['a truncated frame', encodeFrame(1, 2, 2, new Uint8Array(16)).slice(0, FRAME_HEADER_BYTES + 15)],
    ['an oversized claim', (() => { const b = new Uint8Array(encodeFrame(1, 1, 1, new Uint8Array(4))); new DataView(b.buffer).setUint16(8, 5000, true); return b; })()],
    ['an unknown kind', (() => { const b = new Uint8Array(encodeFrame(1, 1, 1, new Uint8Array(4))); b[2] = 9; return b; })()],
    ['an unknown pixel format', (() => { const b = new Uint8Array(encodeFrame(1, 1, 1, new Uint8Array(4))); b[26] = 7; return b; })()],
    ['an I420 frame of RGBA length', (() => { const b = new Uint8Array(encodeFrame(1, 2, 2, new Uint8Array(16))); b[26] = 1; return b; })()],
  ])('rejects %s with a FrameProtocolError', (_name, bytes) => {
    expect(() => decodeMessage(bytes)).toThrow(FrameProtocolError);
  });

  it('refuses to encode a frame whose pixel count does not match its size', () => {
    expect(() => encodeFrame(1, 2, 2, new Uint8Array(15))).toThrow(FrameProtocolError);
    expect(() => encodeFrame(1, 0, 2, new Uint8Array(0))).toThrow(FrameProtocolError);
  });

  it('measures coverage as the share of at least half-opaque pixels', () => {
    expect(alphaCoverage(Uint8Array.of(0, 127, 128, 255))).toBe(0.5);
    expect(alphaCoverage(new Uint8Array(0))).toBe(0);
  });
});
