import type { CallOutcome, MethodName } from '../shared/contract';
import { isMethodName } from '../shared/names';
import { IpcChannel } from '../shared/ipc-channels';

/** The part of Electron's IpcMainInvokeEvent the relay reads. */
export interface InvokeEvent {
  senderFrame: { url: string } | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown): void;
}

const forbidden: CallOutcome = { ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted from the studio windows only' } };

/**
 * One handler for every API call: drops calls from frames that are not the studio's own page,
 * rejects unknown method names before they cross to the engine, and relays the rest. The engine
 * validates the parameters against the contract.
 */
export function setupIpc(
  ipcMain: IpcMainLike,
  relay: (method: MethodName, params: unknown) => Promise<CallOutcome>,
  isTrustedUrl: (url: string) => boolean,
): void {
  ipcMain.handle(IpcChannel.call, async (event, method, params) => {
    if (!event.senderFrame || !isTrustedUrl(event.senderFrame.url)) return forbidden;
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method).slice(0, 80)}` } } satisfies CallOutcome;
    }
    return relay(method, params);
  });
}

/** The studio's pages: the dev server's origin while developing, else the bundled index.html. */
export function trustedUrlChecker(devServerUrl: string | undefined, rendererIndexUrl: string): (url: string) => boolean {
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (devServerUrl) return parsed.origin === new URL(devServerUrl).origin;
    return parsed.protocol === 'file:' && parsed.pathname === new URL(rendererIndexUrl).pathname;
  };
}
