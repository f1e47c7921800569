/**
 * Entry of the engine's Electron utilityProcess: every computation happens here, never in main.
 * `process.parentPort` is Electron's; nothing else here knows about Electron.
 */
import { serveEngine } from '../engine/host/serve';
import type { ToEngine } from '../engine/host/protocol';
import { attachWebcamPorts, studioProvider, studioSnapshotSink, type FramePort } from '../engine/webcam';
import { ENGINE_WEBCAM_PORT } from '../shared/ipc-channels';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown; ports?: FramePort[] }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('engine-process must run as an Electron utilityProcess');

const studio = serveEngine(
  {
    post: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as ToEngine)),
  },
  {
    appDataDir: process.env.SHM_APP_DATA ?? '',
    shell: 'electron',
    onInternalError: (err) => console.error('[engine] internal error:', err),
  },
  () => process.exit(0),
);
// Webcam frame channels from main (one MessagePortMain per camera stream).
attachWebcamPorts(parentPort, ENGINE_WEBCAM_PORT, { provider: () => studioProvider(studio), snapshot: studioSnapshotSink(studio), modelsDir: studio.modelsDir });
