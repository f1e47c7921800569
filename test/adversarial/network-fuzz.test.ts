/**
 * Seeded random hostile peers against the built browser-mode server: malformed WebSocket frames on
 * the API and webcam sockets, malformed HTTP requests with and without the token. Whatever the
 * bytes, the server answers (or closes that one connection) and keeps serving: after every case
 * it still serves the page and answers an API call. The seed is printed; SHM_FUZZ_SEED replays it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, openRawWebSocket, rawHttp, seededRandom } from '../helpers/raw-peer';
import { startWebTarget, type WebTarget } from '../helpers/web-target';
import { WEBCAM_FRAMES_PATH } from '../../src/shared/webcam';

const seed = Number(process.env.SHM_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const WS_CASES = 60;
const HTTP_CASES = 60;

let target: WebTarget;
beforeAll(async () => {
  console.log(`[network fuzz] seed ${seed} (replay with SHM_FUZZ_SEED=${seed})`);
  target = await startWebTarget('fuzz');
});
afterAll(async () => {
  await target?.stop();
});

type Random = ReturnType<typeof seededRandom>;

/** One frame that is wrong in one or more ways a peer can get a frame wrong. */
function randomFrame(r: Random): Buffer {
  const opcode = r.pick([0, 1, 2, 3, 7, 8, 9, 0xa, 0xb, 0xf]);
  const size = r.pick([0, 1, 2, 5, 125, 126, 127, 200, 70_000]);
  let payload = r.bytes(Math.min(size, 4096));
  if (opcode === 1 && r.next() < 0.5) payload = Buffer.concat([Buffer.from('{"id":1,"method":"app.info'), Buffer.from([0xc3, 0x28, 0xf0, 0x90])]);
  const declared = r.next() < 0.3 ? r.pick([payload.length + 1, 0, 126, 65_536, 2 ** 31, 2 ** 40, 2 ** 53 - 1]) : undefined;
  const frame = encodeFrame({ opcode, payload, fin: r.next() < 0.7, rsv: r.next() < 0.4 ? r.int(8) : 0, masked: r.next() < 0.8, declaredLength: declared });
  // Sometimes cut short or with garbage after it.
  if (r.next() < 0.15) return frame.subarray(0, r.int(frame.length));
  if (r.next() < 0.15) return Buffer.concat([frame, r.bytes(1 + r.int(64))]);
  return frame;
}

// Most requests get past Node's parser (so the server's own code meets the target); some do not.
const methods = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT'];
const brokenMethods = ['G\u0000T', 'get', 'GET GET', 'PRI', ''];
const targetPieces = ['/', '/media/', '/media/thumb/1', '/media/preview/', '%', '%E0%A4%A', '%FF', '%00', '%C0%AF', '%2e%2e/', '../', '..\\', 'http://[', 'http://', 'http://127.0.0.1:99999', 'http://[::1', 'http://a b', '//', '?token=', '#', 'a'.repeat(9000), '/api', WEBCAM_FRAMES_PATH, '*', '@', ':', '[', ']'];
const brokenTargetPieces = ['\u00e9', ' ', '\t', '\u0000', '\u007f'];
const versions = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0'];
const brokenVersions = ['HTTP/0.9', 'HTTP/9.9', 'HTTP/1.1 extra', 'HTTP', ''];

function randomRequest(r: Random, t: WebTarget): string {
  const method = r.next() < 0.9 ? r.pick(methods) : r.pick(brokenMethods);
  let pathname = '';
  for (let i = 1 + r.int(4); i > 0; i--) pathname += r.next() < 0.95 ? r.pick(targetPieces) : r.pick(brokenTargetPieces);
  const headers: string[] = [];
  const host = r.pick([`127.0.0.1:${t.port}`, `localhost:${t.port}`, 'evil.example', '', '[', `127.0.0.1:${t.port}, evil.example`]);
  if (r.next() < 0.85) headers.push(`Host: ${host}`);
  if (r.next() < 0.2) headers.push(`Host: ${host}`);
  if (r.next() < 0.5) headers.push(`Cookie: shm_token=${r.next() < 0.8 ? t.token : 'x'}`);
  if (r.next() < 0.3) headers.push(`Origin: ${r.pick([t.server.origin, 'null', 'http://evil.example', '%%%'])}`);
  if (r.next() < 0.3) headers.push('Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${r.pick(['AAAAAAAAAAAAAAAAAAAAAA==', '', 'short'])}`, `Sec-WebSocket-Version: ${r.pick(['13', '8', 'x'])}`);
  if (r.next() < 0.1) headers.push(`Content-Length: ${r.pick(['-1', 'abc', '5, 6', '99999999999999999999', '3'])}`);
  if (r.next() < 0.1) headers.push(`Transfer-Encoding: ${r.pick(['chunked', 'gzip, chunked', 'x'])}`);
  if (r.next() < 0.1) headers.push(r.pick(['nonsense', 'Bad Header: x', ' leading: space', 'X: a\u0000b', `X-Big: ${'b'.repeat(20_000)}`, 'X: \u00ff\u00fe']));
  if (r.next() < 0.7) headers.push('Connection: close');
  const eol = r.next() < 0.95 ? '\r\n' : r.pick(['\n', '\r', '\r\r\n']);
  const body = r.next() < 0.2 ? r.bytes(r.int(200)).toString('latin1') : '';
  const version = r.next() < 0.9 ? r.pick(versions) : r.pick(brokenVersions);
  return `${method} ${pathname} ${version}${eol}${headers.join(eol)}${eol}${eol}${body}`;
}

describe(`seeded random hostile peers (seed ${seed})`, () => {
  it(`${WS_CASES} malformed WebSocket frame sequences: each closes its socket at most, the server stays up`, async () => {
    const r = seededRandom(seed);
    const codes = new Map<string, number>();
    const failures: string[] = [];
    for (let i = 0; i < WS_CASES; i++) {
      const pathname = r.next() < 0.7 ? '/api' : WEBCAM_FRAMES_PATH;
      const frames = Array.from({ length: 1 + r.int(3) }, () => randomFrame(r));
      const peer = await openRawWebSocket(target.port, pathname, target.pageHeaders());
      for (const frame of frames) peer.send(frame);
      const { code } = await peer.closed(400);
      peer.destroy();
      codes.set(String(code), (codes.get(String(code)) ?? 0) + 1);
      const health = await target.health();
      if (health) {
        failures.push(`ws case ${i} on ${pathname} (${frames.map((f) => f.subarray(0, 16).toString('hex')).join(' ')}): ${health}`);
        await target.revive(true);
      }
    }
    console.log(`[network fuzz] ws close codes: ${JSON.stringify(Object.fromEntries(codes))}; server down after ${failures.length} of ${WS_CASES}`);
    expect(failures, `seed ${seed}`).toEqual([]);
  });

  it(`${HTTP_CASES} malformed HTTP requests: each is answered below 500 or dropped, the server stays up`, async () => {
    const r = seededRandom(seed ^ 0x5eed);
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    for (let i = 0; i < HTTP_CASES; i++) {
      const request = randomRequest(r, target);
      const reply = await rawHttp(target.port, Buffer.from(request, 'latin1'), 1500);
      statuses.set(String(reply.status), (statuses.get(String(reply.status)) ?? 0) + 1);
      const health = await target.health();
      if (health || (reply.status ?? 0) >= 500) failures.push(`http case ${i} (${JSON.stringify(request.slice(0, 200))}) answered ${reply.status}: ${health ?? 'server alive'}`);
      if (health) await target.revive(true);
    }
    console.log(`[network fuzz] http statuses: ${JSON.stringify(Object.fromEntries(statuses))}; failed ${failures.length} of ${HTTP_CASES}`);
    expect(failures, `seed ${seed}`).toEqual([]);
  });
});
