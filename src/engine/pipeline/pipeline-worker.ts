import { workerPort } from '../workers/spawn';
import { MattingError } from '../matting/errors';
import { estimateForeground } from '../matting/foreground/foreground-ml';
import { makeTrimap } from '../matting/trimap/trimap';
import type { PipelineRequest, PipelineResponse, PipelineTask } from './pipeline-protocol';

function runTask(task: PipelineTask): Float32Array | Uint8Array {
  switch (task.type) {
    case 'trimap':
      return makeTrimap(task.prob, task.width, task.height, task.options);
    case 'foreground':
      return estimateForeground(task.image, task.alpha);
  }
}

// One task at a time per worker; the pool cancels by terminating the thread.
// Null outside the thread spawned as 'pipeline-worker' (a bundler may load this module elsewhere).
const port = workerPort('pipeline-worker');
if (port) port.on('message', (req: PipelineRequest) => {
  let res: PipelineResponse;
  try {
    const result = runTask(req);
    res = { id: req.id, ok: true, result };
    port.postMessage(res, [result.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    res = { id: req.id, ok: false, name: e.name, message: e.message, ...(err instanceof MattingError ? { code: err.code } : {}) };
    port.postMessage(res);
  }
});
