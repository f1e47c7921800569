import { workerPort } from '../../workers/spawn';
import { MattingError } from '../errors';
import { refineAlpha } from '../alpha/refine';
import type { WorkerRequest, WorkerResponse } from './pool-protocol';

// One job at a time per worker; the pool cancels by terminating the thread, so no abort plumbing here.
// Null outside the thread spawned as 'matting-worker' (a bundler may load this module elsewhere).
const port = workerPort('matting-worker');
if (port) port.on('message', (msg: WorkerRequest) => {
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
