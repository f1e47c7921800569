/**
 * Main's webcam wiring without the Electron binary: Electron's MessageChannelMain is replaced by
 * Node's MessageChannel (same shape for what setupWebcam does with it); everything else is real.
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ MessageChannelMain: MessageChannel }));

const { setupWebcam } = await import('../../../src/main/webcam');
const { IpcChannel } = await import('../../../src/shared/ipc-channels');
const { trustedUrlChecker } = await import('../../../src/main/ipc');

const page = 'file:///opt/shm/resources/app.asar/out/renderer/index.html';

function wire() {
  const listeners = new Map<string, (event: never) => void>();
  const toEngine: unknown[] = [];
  const windows: { focused: number; closed?: () => void }[] = [];
  setupWebcam({
    ipcMain: { on: (channel, fn) => listeners.set(channel, fn as (event: never) => void) },
    isTrustedUrl: trustedUrlChecker(undefined, page),
    createWindow: () => {
      const w = { focused: 0, closed: undefined as undefined | (() => void) };
      windows.push(w);
      return { isDestroyed: () => false, focus: () => w.focused++, on: (_e: string, fn: () => void) => (w.closed = fn) } as never;
    },
    postPortToEngine: (port) => toEngine.push(port),
  });
  const sent: { channel: string; ports: unknown[] }[] = [];
  const send = (channel: string, url: string | null) =>
    listeners.get(channel)!({ senderFrame: url === null ? null : { url }, sender: { postMessage: (c: string, _m: unknown, ports: unknown[]) => sent.push({ channel: c, ports }) } } as never);
  return { send, sent, toEngine, windows };
}

describe('setupWebcam', () => {
  it('gives the webcam page one end of a new channel and the engine the other', () => {
    const { send, sent, toEngine } = wire();
    send(IpcChannel.webcamRequestPort, `${page}#/webcam`);
    expect(toEngine).toHaveLength(1);
    expect(sent).toEqual([{ channel: IpcChannel.webcamPort, ports: [expect.anything()] }]);
    expect(sent[0].ports[0]).not.toBe(toEngine[0]);
  });

  it.each([
    ['a foreign page', 'https://evil.example/#/webcam'],
    ['the studio page (not the webcam route)', page],
    ['a frame without a URL', null],
  ])('drops a port request from %s', (_name, url) => {
    const { send, sent, toEngine } = wire();
    send(IpcChannel.webcamRequestPort, url);
    expect(sent).toEqual([]);
    expect(toEngine).toEqual([]);
  });

  it('opens one webcam window and focuses it on the next request; foreign senders open nothing', () => {
    const { send, windows } = wire();
    send(IpcChannel.webcamOpenWindow, 'https://evil.example/');
    expect(windows).toHaveLength(0);
    send(IpcChannel.webcamOpenWindow, page);
    send(IpcChannel.webcamOpenWindow, page);
    expect(windows).toHaveLength(1);
    expect(windows[0].focused).toBe(1);
    windows[0].closed!();
    send(IpcChannel.webcamOpenWindow, page);
    expect(windows).toHaveLength(2);
  });
});
