/**
 * A hostile peer for the browser-mode server: hand-made HTTP requests and WebSocket frames over
 * plain TCP (node:net), so nothing in a client library tidies them up before they reach the server.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { mulberry32 } from './random';

export interface RawReply {
  /** Status of the first response line, or null when the server closed without one. */
  status: number | null;
  /** Everything the server wrote, as latin1 text. */
  text: string;
}

/**
 * Writes `request` as is and collects the reply until the server closes the connection. If the
 * server says nothing for `quietMs` (it waits for the rest of a request), the peer half-closes;
 * after `timeoutMs` the socket is destroyed. Not half-closing at once matters: Node's server drops
 * a response still being prepared when the peer has already ended.
 */
export function rawHttp(port: number, request: string | Buffer, timeoutMs = 3000, quietMs = 300): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      clearTimeout(quiet);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : null, text });
    };
    const timer = setTimeout(done, timeoutMs);
    const quiet = setTimeout(() => chunks.length === 0 && socket.end(), quietMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined); // a reset is an answer too: 'close' follows
    socket.on('close', done);
    socket.on('connect', () => socket.write(request));
  });
}

export interface FrameSpec {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  /** The three reserved bits, as a number 0-7 (RSV1 = 4). */
  rsv?: number;
  /** Clients must mask; false sends an unmasked frame. */
  masked?: boolean;
  /** A payload length to announce instead of the payload's own (the bytes sent stay the payload). */
  declaredLength?: number;
}

/** Encodes one WebSocket frame (RFC 6455 §5.2), as well or as badly as the spec says. */
export function encodeFrame({ opcode, payload = Buffer.alloc(0), fin = true, rsv = 0, masked = true, declaredLength }: FrameSpec): Buffer {
  const length = declaredLength ?? payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  let extended: Buffer;
  if (length < 126) {
    head.push(maskBit | length);
    extended = Buffer.alloc(0);
  } else if (length < 65536) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(BigInt(length));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), extended, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([Buffer.from(head), extended, mask, body]);
}

export interface RawWebSocket {
  socket: net.Socket;
  send(bytes: Buffer): void;
  /**
   * Resolves once the server closed the TCP connection or `timeoutMs` passed: the close code of
   * the server's close frame (null if it sent none) and whether the connection ended.
   */
  closed(timeoutMs?: number): Promise<{ code: number | null; reason: string; ended: boolean }>;
  /** Every complete frame the server sent so far, after the handshake. */
  frames(): { opcode: number; payload: Buffer }[];
  destroy(): void;
}

/** Parses the server's (unmasked) frames out of `data`; an incomplete tail is left out. */
function parseFrames(data: Buffer): { opcode: number; payload: Buffer }[] {
  const out: { opcode: number; payload: Buffer }[] = [];
  let at = 0;
  while (at + 2 <= data.length) {
    const opcode = data[at] & 0x0f;
    let length = data[at + 1] & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (start + 2 > data.length) break;
      length = data.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > data.length) break;
      length = Number(data.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > data.length) break;
    out.push({ opcode, payload: data.subarray(start, start + length) });
    at = start + length;
  }
  return out;
}

/**
 * Opens a WebSocket by hand: the upgrade request with the given headers, then raw frames.
 * Rejects with the response head when the server does not answer 101.
 */
export function openRawWebSocket(port: number, pathname: string, headers: Record<string, string>): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    let ended = false;
    const waiters: (() => void)[] = [];
    socket.on('error', () => undefined);
    socket.on('close', () => {
      ended = true;
      for (const w of waiters.splice(0)) w();
      if (!upgraded) reject(new Error(`connection closed during the handshake: ${buffered.toString('latin1')}`));
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (upgraded) return;
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString('latin1');
      if (!/^HTTP\/1\.1 101/.test(head)) {
        socket.destroy();
        reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
        return;
      }
      upgraded = true;
      buffered = buffered.subarray(end + 4);
      resolve(peer);
    });
    const lines = [
      `GET ${pathname} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.on('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    const peer: RawWebSocket = {
      socket,
      send: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      frames: () => parseFrames(buffered),
      closed: (timeoutMs = 3000) =>
        new Promise((done) => {
          const finish = () => {
            clearTimeout(timer);
            const close = parseFrames(buffered).find((f) => f.opcode === 0x8);
            done({
              code: close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null,
              reason: close ? close.payload.subarray(2).toString('utf8') : '',
              ended,
            });
          };
          const timer = setTimeout(finish, timeoutMs);
          if (ended) finish();
          else waiters.push(finish);
        }),
      destroy: () => socket.destroy(),
    };
  });
}

/** A small seeded generator (mulberry32): the same seed replays the same cases. */
export function seededRandom(seed: number): { next(): number; int(maxExclusive: number): number; pick<T>(items: readonly T[]): T; bytes(n: number): Buffer } {
  const next = mulberry32(seed);
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)],
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => int(256))),
  };
}
