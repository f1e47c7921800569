/**
 * The only bridge between the sandboxed page and the app: a typed `call` restricted to the
 * contract's method names and an event subscription restricted to its event names. No Node, no
 * ipcRenderer, no file paths reach the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallOutcome } from '../shared/contract';
import { isEventName, isMethodName } from '../shared/names';
import { IpcChannel, MEDIA_SCHEME } from '../shared/ipc-channels';

const bridge = {
  call(method: string, params: unknown): Promise<CallOutcome> {
    if (!isMethodName(method)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${method}` } });
    }
    return ipcRenderer.invoke(IpcChannel.call, method, params) as Promise<CallOutcome>;
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`Unknown event: ${event}`);
    const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IpcChannel.event, handler);
    return () => ipcRenderer.removeListener(IpcChannel.event, handler);
  },
  mediaBase: `${MEDIA_SCHEME}://media/`,
};

export type ElectronBridge = typeof bridge;
contextBridge.exposeInMainWorld('shm', bridge);
