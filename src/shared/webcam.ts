/**
 * The webcam frame protocol, shared by the webcam page and the engine. One binary message format
 * for both transports (a binary WebSocket in browser mode, a MessagePort in Electron): a fixed
 * 32-byte little-endian header, then the payload. Pure: no Node or DOM imports.
 *
 *   0 u8 magic 0x53 ('S')   1 u8 version   2 u8 kind   3 u8 flags   4 u32 seq
 *   8 u16 width   10 u16 height   12 f32 modelMs   16 f32 refineMs   20 f32 transferMs
 *   24 u8 provider   25 u8 model (alpha: 0 the automatic model, 1 the chosen pair)
 *   26 u8 layout (frame: pixel format, 0 RGBA, 1 I420; alpha: encoding, 0 raw, 1 runs)   27..31 reserved
 *
 * frame   (page → engine): payload is the pixels in the frame's format: width*height*4 RGBA bytes
 *         (what a canvas gives), or planar I420 (what a camera's VideoFrame holds: the Y plane,
 *         then U and V at half width and height, rounded up), 2.6 times fewer bytes.
 * alpha   (engine → page): one opacity per pixel, width*height bytes raw, or run-length coded
 *         (alpha-runs.ts: a matte is mostly 0 and 255, so a few tens of KB instead of 307 KB at
 *         640x480); decodeMessage gives the raw bytes either way.
 * notice  (engine → page): payload is UTF-8 JSON `{ level, code, text, models?, model? }`.
 * control (page → engine): payload is UTF-8 JSON `{ request: 'list' }` or `{ request: 'select', model }`;
 *         rare (a choice in the window), so JSON costs nothing on the per-frame path.
 */
import { concreteProviders, type ConcreteProvider } from './vocabulary';
import { decodeAlphaRuns, encodeAlphaRuns, maxAlphaRunsBytes } from './alpha-runs';
import { i420Layout } from './yuv';

export const WEBCAM_FRAMES_PATH = '/webcam-frames';
export const FRAME_HEADER_BYTES = 32;
export const FRAME_MAGIC = 0x53;
export const FRAME_VERSION = 1;
/** Largest frame side the engine accepts (4K camera modes fit). */
export const MAX_FRAME_SIDE = 4096;

export const frameKinds = { frame: 1, alpha: 2, notice: 3, control: 4 } as const;
export type FrameKind = keyof typeof frameKinds;

/** How a frame's pixels are laid out (header byte 26: the index here). */
export const pixelFormats = ['rgba', 'i420'] as const;
export type PixelFormat = (typeof pixelFormats)[number];

/** Bytes of a width x height frame in `format`. */
export function framePixelBytes(format: PixelFormat, width: number, height: number): number {
  return format === 'rgba' ? width * height * 4 : i420Layout(width, height).bytes;
}

/** How an alpha message's opacities are laid out (header byte 26: the index here). */
export const alphaEncodings = ['raw', 'runs'] as const;
export type AlphaEncoding = (typeof alphaEncodings)[number];

/** Flags on a frame: also save this frame and its matte into the open project. */
export const FLAG_SNAPSHOT = 1;

/** The provider byte of an alpha frame: its index here (0: not known yet). */
export const webcamProviders = ['unknown', ...concreteProviders] as const;
export type WebcamProvider = 'unknown' | ConcreteProvider;

/** The choice that runs the built-in segmenter path (any other id names a trained pair). */
export const WEBCAM_AUTO_MODEL = 'auto';

/** A model the webcam window offers: the automatic one, or a trained pair (its pair id). */
export interface WebcamModelOption {
  id: string;
  label: string;
}

/** Which model made an alpha frame (header byte 25). */
export const webcamModelSlots = ['auto', 'pair'] as const;
export type WebcamModelSlot = (typeof webcamModelSlots)[number];

export interface FrameTimings {
  /** Semantic model (pre/post-processing and the worker hop included). */
  modelMs: number;
  /** Temporal smoothing, guided-filter refinement at frame resolution, quantisation. */
  refineMs: number;
  /** Everything else inside the engine: decoding, colour conversion, encoding the reply. */
  transferMs: number;
}

export interface FrameMessage {
  kind: 'frame';
  seq: number;
  width: number;
  height: number;
  snapshot: boolean;
  format: PixelFormat;
  /** framePixelBytes(format, width, height) bytes. */
  pixels: Uint8Array;
}

export interface AlphaMessage {
  kind: 'alpha';
  seq: number;
  width: number;
  height: number;
  timings: FrameTimings;
  provider: WebcamProvider;
  model: WebcamModelSlot;
  /** width*height bytes, 0 transparent … 255 opaque. */
  alpha: Uint8Array;
}

export type NoticeCode = 'BAD_FRAME' | 'ENGINE_FAILED' | 'SNAPSHOT_SAVED' | 'SNAPSHOT_FAILED' | 'BUSY' | 'MODELS' | 'MODEL_READY' | 'MODEL_FAILED';

export interface NoticeMessage {
  kind: 'notice';
  seq: number;
  level: 'info' | 'error';
  code: NoticeCode;
  text: string;
  /** MODELS: what the window can choose from (the automatic model first). */
  models?: WebcamModelOption[];
  /** MODELS, MODEL_READY, MODEL_FAILED: the choice now running (WEBCAM_AUTO_MODEL or a pair id) and its label. */
  model?: WebcamModelOption;
}

export type ControlRequest = { request: 'list' } | { request: 'select'; model: string };

export interface ControlMessage {
  kind: 'control';
  seq: number;
  control: ControlRequest;
}

export type WebcamMessage = FrameMessage | AlphaMessage | NoticeMessage | ControlMessage;

export class FrameProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameProtocolError';
  }
}

function writeHeader(view: DataView, kind: FrameKind, seq: number, width: number, height: number, flags = 0): void {
  view.setUint8(0, FRAME_MAGIC);
  view.setUint8(1, FRAME_VERSION);
  view.setUint8(2, frameKinds[kind]);
  view.setUint8(3, flags);
  view.setUint32(4, seq >>> 0, true);
  view.setUint16(8, width, true);
  view.setUint16(10, height, true);
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_FRAME_SIDE || height > MAX_FRAME_SIDE) {
    throw new FrameProtocolError(`frame size ${width}x${height} is outside 1..${MAX_FRAME_SIDE}`);
  }
}

/**
 * A frame message with room for its pixels: write them into `pixels` (e.g.
 * `pixels.set(imageData.data)`, or a VideoFrame's copyTo) and send `buffer`, so the pixels are
 * copied once.
 */
export function allocateFrame(seq: number, width: number, height: number, snapshot = false, format: PixelFormat = 'rgba'): { buffer: ArrayBuffer; pixels: Uint8Array } {
  checkSize(width, height);
  const buffer = new ArrayBuffer(FRAME_HEADER_BYTES + framePixelBytes(format, width, height));
  const view = new DataView(buffer);
  writeHeader(view, 'frame', seq, width, height, snapshot ? FLAG_SNAPSHOT : 0);
  view.setUint8(26, pixelFormats.indexOf(format));
  return { buffer, pixels: new Uint8Array(buffer, FRAME_HEADER_BYTES) };
}

export function encodeFrame(seq: number, width: number, height: number, pixels: Uint8Array | Uint8ClampedArray, snapshot = false, format: PixelFormat = 'rgba'): ArrayBuffer {
  const frame = allocateFrame(seq, width, height, snapshot, format);
  const bytes = framePixelBytes(format, width, height);
  if (pixels.length !== bytes) throw new FrameProtocolError(`expected ${bytes} ${format.toUpperCase()} bytes, got ${pixels.length}`);
  frame.pixels.set(pixels);
  return frame.buffer;
}

/** Rewrites the timings of an encoded alpha message (the transfer time is known only at the end). */
export function writeTimings(view: DataView, timings: FrameTimings): void {
  view.setFloat32(12, timings.modelMs, true);
  view.setFloat32(16, timings.refineMs, true);
  view.setFloat32(20, timings.transferMs, true);
}

/** An alpha message, run-length coded unless `encoding` is 'raw'; timings can be rewritten later (writeTimings). */
export function encodeAlpha(
  seq: number,
  width: number,
  height: number,
  alpha: Uint8Array,
  timings: FrameTimings,
  provider: WebcamProvider,
  model: WebcamModelSlot = 'auto',
  encoding: AlphaEncoding = 'runs',
): ArrayBuffer {
  checkSize(width, height);
  if (alpha.length !== width * height) throw new FrameProtocolError(`expected ${width * height} alpha bytes, got ${alpha.length}`);
  let buffer: ArrayBuffer;
  if (encoding === 'raw') {
    buffer = new ArrayBuffer(FRAME_HEADER_BYTES + alpha.length);
    new Uint8Array(buffer, FRAME_HEADER_BYTES).set(alpha);
  } else {
    const scratch = new Uint8Array(FRAME_HEADER_BYTES + maxAlphaRunsBytes(alpha.length));
    const bytes = encodeAlphaRuns(alpha, scratch.subarray(FRAME_HEADER_BYTES));
    buffer = scratch.buffer.slice(0, FRAME_HEADER_BYTES + bytes);
  }
  const view = new DataView(buffer);
  writeHeader(view, 'alpha', seq, width, height);
  writeTimings(view, timings);
  view.setUint8(24, Math.max(0, webcamProviders.indexOf(provider)));
  view.setUint8(25, Math.max(0, webcamModelSlots.indexOf(model)));
  view.setUint8(26, alphaEncodings.indexOf(encoding));
  return buffer;
}

function encodeJson(kind: 'notice' | 'control', seq: number, value: unknown): ArrayBuffer {
  const json = new TextEncoder().encode(JSON.stringify(value));
  const buffer = new ArrayBuffer(FRAME_HEADER_BYTES + json.length);
  writeHeader(new DataView(buffer), kind, seq, 1, 1);
  new Uint8Array(buffer, FRAME_HEADER_BYTES).set(json);
  return buffer;
}

export function encodeNotice(notice: Omit<NoticeMessage, 'kind'>): ArrayBuffer {
  const { level, code, text, models, model } = notice;
  return encodeJson('notice', notice.seq, { level, code, text, ...(models ? { models } : {}), ...(model ? { model } : {}) });
}

export function encodeControl(seq: number, control: ControlRequest): ArrayBuffer {
  return encodeJson('control', seq, control);
}

function parseJson(payload: Uint8Array, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new FrameProtocolError(`${what} payload is not a JSON object`);
}

function modelOption(value: unknown): WebcamModelOption | undefined {
  const v = value as { id?: unknown; label?: unknown } | null;
  return v && typeof v.id === 'string' && typeof v.label === 'string' ? { id: v.id, label: v.label } : undefined;
}

/** A control request as the engine accepts it; anything else is a FrameProtocolError. */
function parseControl(value: Record<string, unknown>): ControlRequest {
  if (value.request === 'list') return { request: 'list' };
  if (value.request === 'select' && typeof value.model === 'string' && value.model.length > 0 && value.model.length <= 128) return { request: 'select', model: value.model };
  throw new FrameProtocolError('a control message is { "request": "list" } or { "request": "select", "model": "<id>" }');
}

/** Accepts what either transport delivers: an ArrayBuffer or a view on one (Node's Buffer). */
export function decodeMessage(data: ArrayBuffer | ArrayBufferView): WebcamMessage {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length < FRAME_HEADER_BYTES) throw new FrameProtocolError(`message of ${bytes.length} bytes is shorter than the header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== FRAME_MAGIC) throw new FrameProtocolError('not a webcam frame message');
  if (view.getUint8(1) !== FRAME_VERSION) throw new FrameProtocolError(`unsupported frame protocol version ${view.getUint8(1)}`);
  const kindCode = view.getUint8(2);
  const flags = view.getUint8(3);
  const seq = view.getUint32(4, true);
  const width = view.getUint16(8, true);
  const height = view.getUint16(10, true);
  const payload = bytes.subarray(FRAME_HEADER_BYTES);
  if (kindCode === frameKinds.notice) {
    const parsed = parseJson(payload, 'notice');
    const models = Array.isArray(parsed.models) ? parsed.models.map(modelOption).filter((m): m is WebcamModelOption => !!m) : undefined;
    const model = modelOption(parsed.model);
    return {
      kind: 'notice',
      seq,
      level: parsed.level === 'info' ? 'info' : 'error',
      code: String(parsed.code) as NoticeCode,
      text: String(parsed.text ?? ''),
      ...(models ? { models } : {}),
      ...(model ? { model } : {}),
    };
  }
  if (kindCode === frameKinds.control) return { kind: 'control', seq, control: parseControl(parseJson(payload, 'control')) };
  checkSize(width, height);
  if (kindCode === frameKinds.frame) {
    const format = pixelFormats[view.getUint8(26)];
    if (!format) throw new FrameProtocolError(`unknown pixel format ${view.getUint8(26)}`);
    const bytes = framePixelBytes(format, width, height);
    if (payload.length !== bytes) throw new FrameProtocolError(`frame ${width}x${height} in ${format.toUpperCase()} needs ${bytes} bytes, got ${payload.length}`);
    return { kind: 'frame', seq, width, height, snapshot: (flags & FLAG_SNAPSHOT) !== 0, format, pixels: payload };
  }
  if (kindCode === frameKinds.alpha) {
    const encoding = alphaEncodings[view.getUint8(26)];
    if (!encoding) throw new FrameProtocolError(`unknown alpha encoding ${view.getUint8(26)}`);
    let alpha = payload;
    if (encoding === 'runs') {
      alpha = new Uint8Array(width * height);
      try {
        decodeAlphaRuns(payload, alpha);
      } catch (e) {
        throw new FrameProtocolError(`alpha ${width}x${height}: ${e instanceof Error ? e.message : String(e)}`);
      }
    } else if (payload.length !== width * height) throw new FrameProtocolError(`alpha ${width}x${height} needs ${width * height} bytes, got ${payload.length}`);
    return {
      kind: 'alpha',
      seq,
      width,
      height,
      timings: { modelMs: view.getFloat32(12, true), refineMs: view.getFloat32(16, true), transferMs: view.getFloat32(20, true) },
      provider: webcamProviders[view.getUint8(24)] ?? 'unknown',
      model: webcamModelSlots[view.getUint8(25)] ?? 'auto',
      alpha,
    };
  }
  throw new FrameProtocolError(`unknown message kind ${kindCode}`);
}

/** Share of pixels at least half opaque: a quick sanity figure for a matte. */
export function alphaCoverage(alpha: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < alpha.length; i++) if (alpha[i] >= 128) count++;
  return alpha.length ? count / alpha.length : 0;
}
