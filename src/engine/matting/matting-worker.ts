import { parentPort } from 'node:worker_threads';
import { MattingError } from './errors';
import { refineAlpha } from './refine';
import type { WorkerRequest, WorkerResponse } from './pool-protocol';

// One job at a time per worker; the pool cancels by terminating the thread, so no abort plumbing here.
const port = parentPort;
if (!port) throw new Error('matting-worker must run as a worker thread');
port.on('message', (msg: WorkerRequest) => {
  const { id, image, trimap, options } = msg;
  const send = (m: WorkerResponse, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  refineAlpha(image, trimap, options, {
    onProgress: (p) => send({ type: 'progress', id, fraction: p.fraction, stage: p.stage }),
  }).then(
    (alpha) => send({ type: 'done', id, alpha }, [alpha.buffer as ArrayBuffer]),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      send({ type: 'error', id, name: e.name, message: e.message, code: err instanceof MattingError ? err.code : undefined });
    },
  );
});
