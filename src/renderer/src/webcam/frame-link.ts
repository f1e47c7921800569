import { WEBCAM_FRAMES_PATH, decodeMessage, type WebcamMessage } from '../../../shared/webcam';

/** The page's end of the frame channel to the engine, whatever carries it. */
export interface FrameLink {
  /** Sends an encoded frame; the buffer is handed over (transferred where the transport can). */
  send(buffer: ArrayBuffer): void;
  close(): void;
}

export interface FrameLinkHandlers {
  onMessage(message: WebcamMessage): void;
  onClose(reason: string): void;
}

/** What the Electron preload exposes for the webcam window (see src/preload/index.ts). */
interface WebcamBridge {
  webcam?: { requestPort(): void; portMessageType: string };
}

/** Browser mode: a binary WebSocket to the server that served this page (its cookie carries the token). */
function openSocketLink(handlers: FrameLinkHandlers): Promise<FrameLink> {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WEBCAM_FRAMES_PATH}`);
  ws.binaryType = 'arraybuffer';
  return new Promise((resolve, reject) => {
    let opened = false;
    let closing = false;
    ws.onopen = () => {
      opened = true;
      resolve({
        send: (buffer) => ws.readyState === WebSocket.OPEN && ws.send(buffer),
        close: () => {
          closing = true;
          ws.close();
        },
      });
    };
    ws.onmessage = (event) => handlers.onMessage(decodeMessage(event.data as ArrayBuffer));
    ws.onclose = (event) => {
      if (closing) return;
      // The server says why when it has a reason (too many camera streams open, close 1013).
      if (opened) handlers.onClose(event.reason || 'The connection to the engine closed.');
      else reject(new Error('Cannot reach the engine: is the studio server still running?'));
    };
  });
}

/** Electron: main hands this window a MessagePort wired straight to the engine process. */
function openPortLink(bridge: NonNullable<WebcamBridge['webcam']>, handlers: FrameLinkHandlers): Promise<FrameLink> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', onWindowMessage);
      reject(new Error('The engine did not open a frame channel.'));
    }, 10_000);
    const onWindowMessage = (event: MessageEvent) => {
      if (event.source !== window || (event.data as { type?: unknown })?.type !== bridge.portMessageType || !event.ports[0]) return;
      window.removeEventListener('message', onWindowMessage);
      clearTimeout(timer);
      const port = event.ports[0];
      port.onmessage = (e) => handlers.onMessage(decodeMessage(e.data as ArrayBuffer));
      port.start();
      resolve({
        send: (buffer) => port.postMessage(buffer, [buffer]),
        close: () => port.close(),
      });
    };
    window.addEventListener('message', onWindowMessage);
    bridge.requestPort();
  });
}

export function openFrameLink(handlers: FrameLinkHandlers): Promise<FrameLink> {
  const bridge = (globalThis as { shm?: WebcamBridge }).shm?.webcam;
  return bridge ? openPortLink(bridge, handlers) : openSocketLink(handlers);
}
