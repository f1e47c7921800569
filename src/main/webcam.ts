/**
 * The webcam window in Electron: opening it, and a MessageChannelMain per camera stream between
 * its renderer and the engine's utilityProcess, so frames never pass through main's event loop.
 * The renderer's end transfers its ArrayBuffers; the engine answers on the same port.
 */
import { MessageChannelMain, type BrowserWindow, type IpcMainEvent, type MessagePortMain } from 'electron';
import { IpcChannel } from '../shared/ipc-channels';

export interface WebcamSetup {
  ipcMain: { on(channel: string, listener: (event: IpcMainEvent) => void): unknown };
  isTrustedUrl(url: string): boolean;
  /** Opens the webcam window (createStudioWindow with the 'webcam' route). */
  createWindow(): BrowserWindow;
  /** Hands the engine's end of a new channel to the engine process. */
  postPortToEngine(port: MessagePortMain): void;
}

export function setupWebcam(setup: WebcamSetup): void {
  let window: BrowserWindow | null = null;
  const trusted = (event: IpcMainEvent) => Boolean(event.senderFrame && setup.isTrustedUrl(event.senderFrame.url));

  setup.ipcMain.on(IpcChannel.webcamOpenWindow, (event) => {
    if (!trusted(event)) return;
    if (window && !window.isDestroyed()) {
      window.focus();
      return;
    }
    window = setup.createWindow();
    window.on('closed', () => (window = null));
  });

  setup.ipcMain.on(IpcChannel.webcamRequestPort, (event) => {
    // Only the webcam page asks for a frame channel; anything else is dropped.
    if (!trusted(event) || !event.senderFrame?.url.endsWith('#/webcam')) return;
    const { port1, port2 } = new MessageChannelMain();
    setup.postPortToEngine(port1);
    event.sender.postMessage(IpcChannel.webcamPort, null, [port2]);
  });
}
