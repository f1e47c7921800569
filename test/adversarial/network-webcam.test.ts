/**
 * Webcam sockets of the built browser-mode server under pressure: idle sockets hold no worker
 * threads, concurrent streams are capped with a clear refusal (a BUSY notice and close 1013), and
 * streams that send one frame and vanish at once do not take the process down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { settle, startWebTarget, type WebTarget } from '../helpers/web-target';
import { WEBCAM_FRAMES_PATH, decodeMessage, encodeFrame, type WebcamMessage } from '../../src/shared/webcam';
import { MAX_WEBCAM_SESSIONS } from '../../src/engine/webcam/session-limit';

let target: WebTarget;
beforeAll(async () => {
  target = await startWebTarget('webcam');
});
afterAll(async () => {
  await target?.stop();
});

interface Stream {
  ws: WebSocket;
  messages: WebcamMessage[];
  closed: Promise<{ code: number; reason: string }>;
}

async function openStream(): Promise<Stream> {
  const ws = new WebSocket(`ws://127.0.0.1:${target.port}${WEBCAM_FRAMES_PATH}`, { headers: target.pageHeaders() });
  const messages: WebcamMessage[] = [];
  ws.on('message', (data: Buffer) => messages.push(decodeMessage(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, messages, closed };
}

async function closeAll(streams: Stream[]): Promise<void> {
  for (const s of streams) s.ws.close();
  await Promise.all(streams.map((s) => s.closed));
  await settle(300);
}

function grey(width: number, height: number): Uint8Array {
  return new Uint8Array(width * height * 4).fill(128);
}

describe('webcam sockets', () => {
  it('idle sockets (open, no frame yet) hold no worker threads', async () => {
    await settle(500);
    const before = await target.usage();
    const streams = await Promise.all(Array.from({ length: MAX_WEBCAM_SESSIONS }, () => openStream()));
    await settle(2500); // long enough for a worker and its inference thread to start
    const idle = await target.usage();
    console.log(
      `[network webcam] ${streams.length} idle webcam sockets: threads ${before.threads} → ${idle.threads} (${idle.threads - before.threads >= 0 ? '+' : ''}${idle.threads - before.threads}), ` +
        `RSS ${before.rssMb.toFixed(1)} → ${idle.rssMb.toFixed(1)} MB (+${(idle.rssMb - before.rssMb).toFixed(1)})`,
    );
    await closeAll(streams);
    expect(idle.threads - before.threads).toBeLessThanOrEqual(0);
    expect(await target.health()).toBeNull();
  });

  it(`a stream beyond ${MAX_WEBCAM_SESSIONS} at once is refused with a BUSY notice and close 1013; a freed place is taken again`, async () => {
    const streams = await Promise.all(Array.from({ length: MAX_WEBCAM_SESSIONS }, () => openStream()));
    const extra = await openStream();
    const refusal = await Promise.race([extra.closed, settle(3000).then(() => null)]);
    console.log(`[network webcam] stream ${MAX_WEBCAM_SESSIONS + 1}: ${refusal ? `closed ${refusal.code} "${refusal.reason}"` : 'accepted'}; notices ${JSON.stringify(extra.messages.map((m) => (m.kind === 'notice' ? m.code : m.kind)))}`);
    expect(refusal?.code).toBe(1013);
    expect(refusal?.reason).toMatch(/camera streams/);
    expect(extra.messages).toMatchObject([{ kind: 'notice', level: 'error', code: 'BUSY' }]);
    // The accepted ones still work, and closing one frees its place.
    streams[0].ws.close();
    await streams[0].closed;
    await settle(200);
    const again = await openStream();
    expect(await Promise.race([again.closed, settle(1000).then(() => 'open')])).toBe('open');
    await closeAll([...streams.slice(1), again]);
    expect(await target.health()).toBeNull();
  });

  it('streams that send one frame and vanish at once leave the server running', async () => {
    for (let round = 0; round < 2; round++) {
      const streams = await Promise.all(Array.from({ length: MAX_WEBCAM_SESSIONS }, () => openStream()));
      for (const [i, s] of streams.entries()) s.ws.send(encodeFrame(i + 1, 64, 48, grey(64, 48)));
      await settle(50);
      for (const s of streams) s.ws.terminate();
      await settle(200);
    }
    // Past the webcam engine's own close patience, when a thread could be ended mid-start.
    await settle(7000);
    const health = await target.health();
    console.log(`[network webcam] ${2 * MAX_WEBCAM_SESSIONS} streams that sent one frame and vanished: server ${health ?? 'alive'}`);
    expect(health).toBeNull();
  });

  it('a stream that keeps going gets its alpha back', async () => {
    const stream = await openStream();
    stream.ws.send(encodeFrame(1, 64, 48, grey(64, 48)));
    const deadline = Date.now() + 60_000;
    while (!stream.messages.some((m) => m.kind === 'alpha' || (m.kind === 'notice' && m.level === 'error')) && Date.now() < deadline) await settle(100);
    expect(stream.messages[0]).toMatchObject({ kind: 'alpha', seq: 1, width: 64, height: 48 });
    await closeAll([stream]);
    expect(await target.health()).toBeNull();
  });
});
