import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
let modelsDir: string | undefined;
/** Where a pair's copies at the webcam's input size go; removed when the stream ends. */
let scratchDir: string | null = null;

/** Loads a pair (its module, with the registry's zod and protobufjs, only when one is chosen). */
async function choosePair(message: Extract<ToWebcamWorker, { type: 'model' }>): Promise<FromWebcamWorker> {
  const { id, pair } = message;
  if (!processor || !inference) return { type: 'model', id, ok: false, message: 'webcam worker not initialised' };
  if (!pair) {
    processor.usePair(null);
    return { type: 'model', id, ok: true, input: null };
  }
  try {
    const { PairStage } = await import('./pair-stage');
    scratchDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'shm-webcam-pair-'));
    const stage = await PairStage.load(inference, pair, processor.lastFrame, modelsDir, scratchDir);
    processor.usePair(stage);
    return { type: 'model', id, ok: true, input: stage.input };
  } catch (e) {
    // The stream goes on with the automatic model.
    processor.usePair(null);
    return { type: 'model', id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

if (port) port.on('message', (message: ToWebcamWorker) => {
  switch (message.type) {
    case 'init':
      modelsDir = message.modelsDir;
      inference = new InferenceService({ provider: message.provider, modelsDir });
      processor = new WebcamProcessor(inference, message.options);
      break;
    case 'frame': {
      const { id, width, height, format, pixels } = message;
      if (!processor) {
        port.postMessage({ type: 'frame', id, ok: false, message: 'webcam worker not initialised' } satisfies FromWebcamWorker);
        break;
      }
      processor.process(new Uint8Array(pixels), width, height, undefined, format).then(
        (r) => {
          const alpha = r.alpha.buffer as ArrayBuffer;
          port.postMessage({ type: 'frame', id, ok: true, alpha, pixels, provider: r.provider, model: r.model, timings: r.timings } satisfies FromWebcamWorker, [alpha, pixels]);
        },
        (e: unknown) => port.postMessage({ type: 'frame', id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies FromWebcamWorker),
      );
      break;
    }
    case 'model':
      void choosePair(message).then((reply) => port.postMessage(reply));
      break;
    case 'reset':
      processor?.reset();
      break;
    case 'close':
      void (inference?.close() ?? Promise.resolve()).finally(() => {
        if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
        port.postMessage({ type: 'closed' } satisfies FromWebcamWorker);
        port.close();
      });
      break;
  }
});
