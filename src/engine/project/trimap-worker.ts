import { workerPort } from '../workers/spawn';
import { applyEdits } from './apply-edits';
import type { TrimapRenderRequest, TrimapRenderResponse } from './trimap-render';

// Null outside the thread spawned as 'trimap-worker' (a bundler may load this module elsewhere).
const port = workerPort('trimap-worker');
if (port) port.on('message', (msg: TrimapRenderRequest) => {
  try {
    const trimap = applyEdits(msg.auto, msg.width, msg.height, msg.edits, msg.start);
    port.postMessage({ type: 'done', id: msg.id, trimap } satisfies TrimapRenderResponse, [trimap.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ type: 'error', id: msg.id, message: e.message } satisfies TrimapRenderResponse);
  }
});
