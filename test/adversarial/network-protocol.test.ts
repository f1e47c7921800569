/**
 * Hostile peers against the built browser-mode server (`node out/main/web.js`), over raw TCP:
 * WebSocket protocol errors on the API and webcam sockets are answered with the RFC 6455 close
 * code, malformed request targets and percent-encodings with 400, and after every case the same
 * process still serves the page and answers an API call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, openRawWebSocket, rawHttp, type FrameSpec } from '../helpers/raw-peer';
import { settle, startWebTarget, type WebTarget } from '../helpers/web-target';
import { MAX_API_MESSAGE_BYTES } from '../../src/web/ws-protocol';
import { MAX_WEBCAM_MESSAGE_BYTES } from '../../src/web/webcam-socket';
import { WEBCAM_FRAMES_PATH } from '../../src/shared/webcam';

let target: WebTarget;

beforeAll(async () => {
  target = await startWebTarget('protocol');
});
afterAll(async () => {
  await target?.stop();
});

/** Runs a case, then reports how the server took it; a server the case killed is restarted. */
async function judge(label: string, run: () => Promise<string>): Promise<{ outcome: string; health: string | null }> {
  let outcome: string;
  try {
    outcome = await run();
  } catch (err) {
    outcome = `peer error: ${(err as Error).message}`;
  }
  await settle();
  const health = await target.health();
  console.log(`[network case] ${label}: ${outcome}; server ${health ? `DOWN (${health})` : 'alive'}`);
  await target.revive(health !== null);
  return { outcome, health };
}

interface FrameCase {
  name: string;
  frames: () => Buffer[];
  code: number;
}

const text = (s: string) => Buffer.from(s, 'utf8');
const one = (spec: FrameSpec) => () => [encodeFrame(spec)];

function frameCases(cap: number): FrameCase[] {
  return [
    { name: 'invalid UTF-8 in a text frame', frames: one({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }), code: 1007 },
    { name: 'reserved opcode 0x3', frames: one({ opcode: 3, payload: text('{}') }), code: 1002 },
    { name: 'reserved control opcode 0xB', frames: one({ opcode: 0xb }), code: 1002 },
    { name: 'unmasked client frame', frames: one({ opcode: 1, payload: text('{}'), masked: false }), code: 1002 },
    { name: 'RSV1 set without a negotiated extension', frames: one({ opcode: 1, payload: text('{}'), rsv: 4 }), code: 1002 },
    { name: 'ping of 126 bytes (control frames stop at 125)', frames: one({ opcode: 9, payload: Buffer.alloc(126, 1) }), code: 1002 },
    { name: 'fragmented ping', frames: one({ opcode: 9, fin: false }), code: 1002 },
    { name: 'stray continuation frame', frames: one({ opcode: 0, payload: text('x') }), code: 1002 },
    { name: 'close frame with the reserved code 1005', frames: one({ opcode: 8, payload: Buffer.from([0x03, 0xed]) }), code: 1002 },
    { name: `message announcing ${cap + 1} bytes (over the cap)`, frames: one({ opcode: 2, payload: Buffer.alloc(16), declaredLength: cap + 1 }), code: 1009 },
  ];
}

async function frameCase(pathname: string, c: FrameCase): Promise<string> {
  const peer = await openRawWebSocket(target.port, pathname, target.pageHeaders());
  for (const frame of c.frames()) peer.send(frame);
  const { code, reason, ended } = await peer.closed();
  peer.destroy();
  return `close ${code ?? 'none'}${reason ? ` "${reason}"` : ''}, connection ${ended ? 'ended' : 'still open'}`;
}

describe.each([
  { socket: 'API socket', pathname: '/api', cap: MAX_API_MESSAGE_BYTES },
  { socket: 'webcam socket', pathname: WEBCAM_FRAMES_PATH, cap: MAX_WEBCAM_MESSAGE_BYTES },
])('$socket: a protocol error closes that socket with its code, nothing else', ({ socket, pathname, cap }) => {
  it.each(frameCases(cap))('$name → $code', async (c) => {
    const { outcome, health } = await judge(`${socket}: ${c.name}`, () => frameCase(pathname, c));
    expect(outcome).toMatch(new RegExp(`^close ${c.code}\\b.*connection ended`));
    expect(health).toBeNull();
  });
});

describe('API socket: other ways a peer can misbehave', () => {
  it('a message over the cap sent in real fragments → 1009', async () => {
    const half = Math.ceil((MAX_API_MESSAGE_BYTES + 1) / 2);
    const { outcome, health } = await judge('API socket: two fragments adding up to more than the cap', () =>
      frameCase('/api', {
        name: 'fragments',
        code: 1009,
        frames: () => [encodeFrame({ opcode: 1, fin: false, payload: Buffer.alloc(half, 0x20) }), encodeFrame({ opcode: 0, payload: Buffer.alloc(half, 0x20) })],
      }),
    );
    expect(outcome).toMatch(/^close 1009\b.*connection ended/);
    expect(health).toBeNull();
  });

  it('a peer that vanishes in the middle of a frame', async () => {
    const { health } = await judge('API socket: reset in the middle of a frame', async () => {
      const peer = await openRawWebSocket(target.port, '/api', target.pageHeaders());
      peer.send(encodeFrame({ opcode: 1, payload: Buffer.alloc(10, 0x20), declaredLength: 1000 }));
      await settle(50);
      peer.socket.resetAndDestroy();
      return 'reset by the peer';
    });
    expect(health).toBeNull();
  });

  it('a peer that resets right after an upgrade the server refuses', async () => {
    const { health } = await judge('upgrade refused (no token) while the peer resets', async () => {
      for (let i = 0; i < 20; i++) {
        const reply = rawHttp(target.port, `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.alloc(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`, 1);
        await reply;
      }
      return '20 refused upgrades abandoned at once';
    });
    expect(health).toBeNull();
  });
});

describe('HTTP: malformed requests are answered 400, with or without a token', () => {
  const host = () => `Host: 127.0.0.1:${target.port}`;
  const upgrade = () => `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.alloc(16, 7).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${target.server.origin}\r\nCookie: shm_token=${target.token}`;
  const cases: { name: string; request: () => string; status: number }[] = [
    { name: 'absolute-form target that is no URL (GET http://[), no token', request: () => `GET http://[ HTTP/1.1\r\n${host()}\r\n\r\n`, status: 400 },
    { name: 'absolute-form target that is no URL, with the token cookie', request: () => `GET http://[ HTTP/1.1\r\n${host()}\r\nCookie: shm_token=${target.token}\r\n\r\n`, status: 400 },
    { name: 'the same target on a WebSocket upgrade', request: () => `GET http://[ HTTP/1.1\r\n${host()}\r\n${upgrade()}\r\n\r\n`, status: 400 },
    { name: 'absolute-form target with a bad port (http://127.0.0.1:99999/api) on an upgrade', request: () => `GET http://127.0.0.1:99999/api HTTP/1.1\r\n${host()}\r\n${upgrade()}\r\n\r\n`, status: 400 },
    { name: 'upgrade with a malformed Sec-WebSocket-Key', request: () => `GET /api HTTP/1.1\r\n${host()}\r\n${upgrade().replace(/Sec-WebSocket-Key: \S+/, 'Sec-WebSocket-Key: short')}\r\n\r\n`, status: 400 },
    { name: 'upgrade with an unsupported Sec-WebSocket-Version', request: () => `GET /api HTTP/1.1\r\n${host()}\r\n${upgrade().replace('Version: 13', 'Version: 12')}\r\n\r\n`, status: 400 },
    { name: 'upgrade by POST', request: () => `POST /api HTTP/1.1\r\n${host()}\r\n${upgrade()}\r\nContent-Length: 0\r\n\r\n`, status: 405 },
    { name: 'truncated percent-encoding in a media path (/media/%E0%A4%A)', request: () => `GET /media/%E0%A4%A HTTP/1.1\r\n${host()}\r\nCookie: shm_token=${target.token}\r\nConnection: close\r\n\r\n`, status: 400 },
    { name: 'percent-encoding of invalid UTF-8 in a media path (/media/%FF)', request: () => `GET /media/%FF HTTP/1.1\r\n${host()}\r\nCookie: shm_token=${target.token}\r\nConnection: close\r\n\r\n`, status: 400 },
    { name: 'a NUL byte in the target', request: () => `GET /media/\0 HTTP/1.1\r\n${host()}\r\n\r\n`, status: 400 },
    { name: 'a space inside the target', request: () => `GET /a b HTTP/1.1\r\n${host()}\r\n\r\n`, status: 400 },
    { name: 'header line without a colon', request: () => `GET / HTTP/1.1\r\n${host()}\r\nnonsense\r\n\r\n`, status: 400 },
    { name: 'headers over 16 KB', request: () => `GET / HTTP/1.1\r\n${host()}\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, status: 431 },
  ];
  it.each(cases)('$name → $status', async (c) => {
    let status: number | null = null;
    const { outcome, health } = await judge(`HTTP: ${c.name}`, async () => {
      const reply = await rawHttp(target.port, c.request());
      status = reply.status;
      return reply.status ? `answered ${reply.status}` : 'closed without an answer';
    });
    expect(outcome).toBe(`answered ${c.status}`);
    expect(status).toBe(c.status);
    expect(health).toBeNull();
  });
});
