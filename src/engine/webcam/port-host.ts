import type { ProviderSetting } from '../inference/service';
import { WorkerWebcamEngine } from './engine';
import { WebcamSession, type SnapshotSink } from './session';

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
  close(): void;
}

export function serveWebcamPort(port: FramePort, options: { provider?: ProviderSetting; snapshot?: SnapshotSink } = {}): WebcamSession {
  const engine = new WorkerWebcamEngine({ provider: options.provider ?? 'auto' });
  const session = new WebcamSession(engine, (message) => port.postMessage(message), options.snapshot);
  port.on('message', (event) => {
    const data = event.data;
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) session.receive(data);
  });
  port.on('close', () => void session.close());
  port.start();
  return session;
}
