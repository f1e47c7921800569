import { workerPort } from '../workers/spawn';
import { InferenceService } from '../inference/service';
import { WebcamProcessor } from './processor';
import type { FromWebcamWorker, ToWebcamWorker } from './worker-protocol';

// Worker entry: one camera stream's processor, so neither the model's worker hop nor the
// refinement's pixel loops run on the event loop that serves the page.
// Null outside the thread spawned as 'webcam-worker' (a bundler may load this module elsewhere).
const port = workerPort('webcam-worker');

let inference: InferenceService | null = null;
let processor: WebcamProcessor | null = null;

if (port) port.on('message', (message: ToWebcamWorker) => {
  switch (message.type) {
    case 'init':
      inference = new InferenceService({ provider: message.provider, modelsDir: message.modelsDir });
      processor = new WebcamProcessor(inference, message.options);
      break;
    case 'frame': {
      const { id, width, height, rgba } = message;
      if (!processor) {
        port.postMessage({ type: 'frame', id, ok: false, message: 'webcam worker not initialised' } satisfies FromWebcamWorker);
        break;
      }
      processor.process(new Uint8Array(rgba), width, height).then(
        (r) => {
          const alpha = r.alpha.buffer as ArrayBuffer;
          port.postMessage({ type: 'frame', id, ok: true, alpha, rgba, provider: r.provider, timings: r.timings } satisfies FromWebcamWorker, [alpha, rgba]);
        },
        (e: unknown) => port.postMessage({ type: 'frame', id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies FromWebcamWorker),
      );
      break;
    }
    case 'reset':
      processor?.reset();
      break;
    case 'close':
      void (inference?.close() ?? Promise.resolve()).finally(() => {
        port.postMessage({ type: 'closed' } satisfies FromWebcamWorker);
        port.close();
      });
      break;
  }
});
