/**
 * The only bridge between the sandboxed page and the app: a typed `call` restricted to the
 * contract's method names and an event subscription restricted to its event names. No Node and no
 * ipcRenderer reach the page; the only paths it sees are those of files the user dropped on it.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { CallOutcome } from '../shared/contract';
import { isEventName, isMethodName } from '../shared/names';
import { IpcChannel, MEDIA_SCHEME, WEBCAM_PORT_MESSAGE } from '../shared/ipc-channels';

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
  /** The path of a file dropped on the window (drag and drop import); the page gets nothing else of the file system. */
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
  /** The desktop's folder dialog: the chosen folder, or null when cancelled. */
  pickFolder(request: { title: string; start?: string }): Promise<string | null> {
    return ipcRenderer.invoke(IpcChannel.pickFolder, request) as Promise<string | null>;
  },
  /** The webcam window: open it, and ask main for a frame channel to the engine. */
  webcam: {
    openWindow(): void {
      ipcRenderer.send(IpcChannel.webcamOpenWindow);
    },
    requestPort(): void {
      ipcRenderer.send(IpcChannel.webcamRequestPort);
    },
    portMessageType: WEBCAM_PORT_MESSAGE,
  },
};

// A MessagePort cannot cross the context bridge as an argument; it reaches the page as a window
// message that carries it (the page checks the message came from its own window).
interface PageWindow {
  postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void;
}
ipcRenderer.on(IpcChannel.webcamPort, (event) => {
  const port = event.ports[0];
  if (port) (globalThis as unknown as PageWindow).postMessage({ type: WEBCAM_PORT_MESSAGE }, '*', [port]);
});

export type ElectronBridge = typeof bridge;
contextBridge.exposeInMainWorld('shm', bridge);
