import type { ProviderSetting } from '../inference/service';
import { WorkerWebcamEngine } from './engine';
import { WebcamSession, type SnapshotSink } from './session';
import { StreamSlots, tooManyStreamsNotice } from './session-limit';
import { listWebcamPairs } from './pairs';

/**
 * The engine's end of an Electron MessagePortMain (or any port shaped like it): messages are the
 * binary frames of src/shared/webcam.ts. Electron's main-side ports clone ArrayBuffers (only the
 * renderer's end can transfer them), which costs one copy per frame on this hop.
 */
export interface FramePort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close?(): void;
}

export interface WebcamHooks {
  provider?: () => Promise<ProviderSetting>;
  snapshot?: SnapshotSink;
  /** The studio's models folder: the trained pairs the window may choose (default: the package's models/). */
  modelsDir?: string;
}

/** Serves one port; `onClosed` runs once the stream's engine has shut down after the port closed. */
export function serveWebcamPort(port: FramePort, hooks: WebcamHooks = {}, onClosed?: () => void): WebcamSession {
  const engine = new WorkerWebcamEngine({ provider: hooks.provider?.() ?? 'auto', modelsDir: hooks.modelsDir });
  const session = new WebcamSession(engine, (message) => port.postMessage(message), hooks.snapshot, () => listWebcamPairs(hooks.modelsDir));
  port.on('message', (event) => {
    const data = event.data;
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) session.receive(data);
  });
  port.on('close', () => void session.close().finally(() => onClosed?.()));
  port.start();
  return session;
}

/** Electron's `process.parentPort` in the engine's utilityProcess, as far as webcam ports go. */
export interface PortCarrier {
  on(event: 'message', listener: (event: { data: unknown; ports?: FramePort[] }) => void): unknown;
}

/**
 * Serves every webcam port main sends (`{ type: 'webcam-port' }` with the port in `ports[0]`), up to
 * `slots.max` streams at once; a port beyond that gets a BUSY notice and is closed.
 */
export function attachWebcamPorts(parent: PortCarrier, messageType: string, hooks: WebcamHooks = {}, slots = new StreamSlots()): void {
  parent.on('message', (event) => {
    const port = event.ports?.[0];
    if (!port || (event.data as { type?: unknown } | null)?.type !== messageType) return;
    const release = slots.take();
    if (release) {
      serveWebcamPort(port, hooks, release);
      return;
    }
    port.postMessage(tooManyStreamsNotice(slots.max));
    port.close?.();
  });
}
