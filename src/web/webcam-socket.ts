import type { WebSocket } from 'ws';
import type { Studio } from '../engine/studio';
import type { ProviderSetting } from '../engine/inference/service';
import { StreamSlots, WebcamSession, WorkerWebcamEngine, listWebcamPairs, studioProvider, studioSnapshotSink, tooManyStreamsNotice, tooManyStreamsText, type SnapshotSink } from '../engine/webcam';
import { FRAME_HEADER_BYTES } from '../shared/webcam';

/** Up to a 4K frame in RGBA. */
export const MAX_WEBCAM_MESSAGE_BYTES = FRAME_HEADER_BYTES + 3840 * 2160 * 4;
/** RFC 6455 "Try Again Later". */
const CLOSE_TRY_AGAIN_LATER = 1013;

export interface WebcamEndpoint {
  /**
   * Serves one authenticated binary WebSocket: a camera stream with its own worker (started by
   * its first frame). Over the cap, the socket gets a BUSY notice and close 1013, and null is returned.
   */
  accept(socket: WebSocket): WebcamSession | null;
  close(): Promise<void>;
}

export interface WebcamEndpointOptions {
  provider?: () => Promise<ProviderSetting>;
  snapshot?: SnapshotSink;
  slots?: StreamSlots;
  /** The studio's models folder: the trained pairs the window may choose (default: the package's models/). */
  modelsDir?: string;
}

export function createWebcamEndpoint(options: WebcamEndpointOptions = {}): WebcamEndpoint {
  const sessions = new Map<WebcamSession, WebSocket>();
  const slots = options.slots ?? new StreamSlots();
  return {
    accept(socket) {
      socket.binaryType = 'arraybuffer';
      // A protocol error closes this socket with its RFC 6455 code; unheard, it would end the process.
      socket.on('error', () => undefined);
      const release = slots.take();
      if (!release) {
        socket.send(tooManyStreamsNotice(slots.max), { binary: true });
        socket.close(CLOSE_TRY_AGAIN_LATER, tooManyStreamsText(slots.max));
        return null;
      }
      const engine = new WorkerWebcamEngine({ provider: options.provider?.() ?? 'auto', modelsDir: options.modelsDir });
      const session = new WebcamSession(
        engine,
        (message) => {
          if (socket.readyState === socket.OPEN) socket.send(message, { binary: true });
        },
        options.snapshot,
        () => listWebcamPairs(options.modelsDir),
      );
      sessions.set(session, socket);
      socket.on('message', (data, isBinary) => {
        if (isBinary && data instanceof ArrayBuffer) session.receive(data);
        else session.receive(new Uint8Array(0)); // answered with a BAD_FRAME notice
      });
      socket.on('close', () =>
        void session.close().finally(() => {
          sessions.delete(session);
          release();
        }),
      );
      return session;
    },
    async close() {
      for (const socket of sessions.values()) socket.terminate();
      await Promise.all([...sessions.keys()].map((s) => s.close()));
      sessions.clear();
    },
  };
}

/** The endpoint as the browser-mode server mounts it: the studio's provider setting, snapshots into its project, its models. */
export function createStudioWebcamEndpoint(studio: Pick<Studio, 'dispatch' | 'modelsDir'>): WebcamEndpoint {
  return createWebcamEndpoint({ provider: () => studioProvider(studio), snapshot: studioSnapshotSink(studio), modelsDir: studio.modelsDir });
}
