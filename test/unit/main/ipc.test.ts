/** Main's IPC relay: only the studio's own page may call, and only contract methods cross. */
import { describe, expect, it } from 'vitest';
import { setupIpc, trustedUrlChecker, type InvokeEvent } from '../../../src/main/ipc';
import { IpcChannel } from '../../../src/shared/ipc-channels';
import type { CallOutcome } from '../../../src/shared/contract';

function relayWith(trusted: (url: string) => boolean) {
  const relayed: unknown[][] = [];
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  setupIpc(
    { handle: (channel, fn) => handlers.set(channel, fn) },
    async (method, params) => {
      relayed.push([method, params]);
      return { ok: true, value: 'relayed' };
    },
    trusted,
  );
  const invoke = (event: InvokeEvent, ...args: unknown[]) => handlers.get(IpcChannel.call)!(event, ...args) as Promise<CallOutcome>;
  return { invoke, relayed };
}

const page = 'file:///opt/shm/resources/app.asar/out/renderer/index.html';
const isTrusted = trustedUrlChecker(undefined, page);

describe('setupIpc', () => {
  it('relays contract calls from the studio page', async () => {
    const { invoke, relayed } = relayWith(isTrusted);
    expect(await invoke({ senderFrame: { url: `${page}#/webcam` } }, 'app.info', {})).toEqual({ ok: true, value: 'relayed' });
    expect(relayed).toEqual([['app.info', {}]]);
  });

  it.each([
    ['a remote page', 'https://evil.example/index.html'],
    ['another local file', 'file:///tmp/evil.html'],
    ['a data URL', 'data:text/html,<script></script>'],
    ['a garbage URL', 'not a url'],
  ])('rejects calls from %s', async (_what, url) => {
    const { invoke, relayed } = relayWith(isTrusted);
    const outcome = await invoke({ senderFrame: { url } }, 'app.info', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(relayed).toEqual([]);
  });

  it('rejects a call whose frame is gone', async () => {
    const { invoke } = relayWith(isTrusted);
    expect(await invoke({ senderFrame: null }, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('stops unknown method names before they reach the engine', async () => {
    const { invoke, relayed } = relayWith(isTrusted);
    for (const method of ['shell.exec', 42, null, '__proto__', 'constructor']) {
      expect(await invoke({ senderFrame: { url: page } }, method, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    expect(relayed).toEqual([]);
  });
});

describe('trustedUrlChecker', () => {
  it('trusts only the dev server origin while developing', () => {
    const dev = trustedUrlChecker('http://localhost:5173', page);
    expect(dev('http://localhost:5173/#/webcam')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev(page)).toBe(false);
  });
});

describe('studioWebPreferences', () => {
  it('isolates and sandboxes every window and gives it no Node', async () => {
    const { studioWebPreferences } = await import('../../../src/main/web-preferences');
    expect(studioWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
  });
});
