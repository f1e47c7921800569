/**
 * The engine's end of the Electron webcam channel, in plain Node: attachWebcamPorts receives a
 * port the way the utilityProcess's parentPort delivers it ({ data, ports }), and the session
 * answers frames on it. Node's MessagePort emits the payload itself where Electron's
 * MessagePortMain emits { data }; a two-line adapter bridges that.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { StreamSlots, attachWebcamPorts, type FramePort } from '../../../src/engine/webcam';
import { ENGINE_WEBCAM_PORT } from '../../../src/shared/ipc-channels';
import { alphaCoverage, decodeMessage, encodeFrame, type WebcamMessage } from '../../../src/shared/webcam';
import { astronautRgba } from '../../fixtures/webcam/clip';

function asMainPort(port: MessagePort): FramePort {
  return {
    on: ((event: 'message' | 'close', fn: (e?: { data: unknown }) => void) =>
      event === 'message' ? port.on('message', (data) => fn({ data })) : port.on('close', () => fn())) as FramePort['on'],
    postMessage: (m) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  };
}

/** A channel whose main-side end is handed to the engine; collects what the engine sends back. */
function handOver(parent: EventEmitter): { page: MessagePort; received: WebcamMessage[]; closed: Promise<void> } {
  const channel = new MessageChannel();
  channels.push(channel);
  const received: WebcamMessage[] = [];
  channel.port1.on('message', (data: ArrayBuffer) => received.push(decodeMessage(data)));
  const closed = new Promise<void>((resolve) => channel.port1.once('close', () => resolve()));
  parent.emit('message', { data: { type: ENGINE_WEBCAM_PORT }, ports: [asMainPort(channel.port2)] });
  return { page: channel.port1, received, closed };
}

async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

const channels: MessageChannel[] = [];
afterAll(() => channels.forEach((c) => c.port1.close()));

describe('attachWebcamPorts', () => {
  it('serves frames on a port handed over by main and ignores other messages', async () => {
    const parent = new EventEmitter();
    attachWebcamPorts(parent as never, ENGINE_WEBCAM_PORT);
    const channel = new MessageChannel();
    channels.push(channel);
    const received: WebcamMessage[] = [];
    channel.port1.on('message', (data: ArrayBuffer) => received.push(decodeMessage(data)));

    parent.emit('message', { data: { type: 'call' }, ports: [] });
    parent.emit('message', { data: { type: ENGINE_WEBCAM_PORT }, ports: [asMainPort(channel.port2)] });
    const frame = encodeFrame(4, 640, 480, await astronautRgba(640, 480));
    channel.port1.postMessage(frame, [frame]);

    const end = Date.now() + 60_000;
    while (!received.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const reply = received[0];
    expect(reply).toMatchObject({ kind: 'alpha', seq: 4, width: 640, height: 480 });
    if (reply.kind === 'alpha') {
      expect(alphaCoverage(reply.alpha)).toBeGreaterThan(0.25);
      expect(alphaCoverage(reply.alpha)).toBeLessThan(0.75);
    }
    expect(frame.byteLength).toBe(0); // transferred, not copied, on the page's side
    channel.port1.close();
  });

  it('serves at most its number of streams at once: one more gets a BUSY notice and a closed port; a freed place is served again', async () => {
    const parent = new EventEmitter();
    attachWebcamPorts(parent as never, ENGINE_WEBCAM_PORT, {}, new StreamSlots(1));
    const first = handOver(parent);
    const second = handOver(parent);
    await second.closed;
    expect(second.received).toMatchObject([{ kind: 'notice', level: 'error', code: 'BUSY', text: expect.stringMatching(/Too many camera streams are open \(1\)/) }]);
    expect(first.received).toEqual([]);

    first.page.close();
    await first.closed;
    await new Promise((r) => setTimeout(r, 50));
    const third = handOver(parent);
    const frame = encodeFrame(1, 64, 48, new Uint8Array(64 * 48 * 4).fill(128));
    third.page.postMessage(frame, [frame]);
    await until(() => third.received.length > 0);
    expect(third.received[0]).toMatchObject({ kind: 'alpha', seq: 1, width: 64, height: 48 });
    third.page.close();
  });
});
