import { workerPort } from '../workers/spawn';
import { MattingError } from '../matting/errors';
import { estimateForeground } from '../matting/foreground/foreground-ml';
import { makeTrimap } from '../matting/trimap/trimap';
import { warmUpComposite } from '../matting/workers/warm-up';
import type { PipelineRequest, PipelineResponse, PipelineTask, PipelineWarmUpReport, PipelineWarmUpRequest, PipelineWarmUpResponse } from './pipeline-protocol';

function runTask(task: PipelineTask): Float32Array | Uint8Array {
  switch (task.type) {
    case 'trimap':
      return makeTrimap(task.prob, task.width, task.height, task.options);
    case 'foreground':
      return estimateForeground(task.image, task.alpha);
  }
}

// Sides of the synthetic composites a prestarted thread estimates first. Measured (fresh process,
// a 1.6 MP portrait's closed-form alpha, 3 rounds at load 1.2-1.4): the first estimate took
// 170-187 ms cold and 135-150 ms after these two (40-53 ms), a warm one 92-112 ms.
const WARM_UP_SIDES = [128, 192];

/**
 * A fresh thread's first foreground estimate runs in V8's interpreter and baseline code: the
 * batch's first image (matte-command) waits for it. A prestarted thread estimates two small
 * composites first, while that image is still being segmented and refined; optimised code gives
 * the same results.
 */
export function warmUpForeground(): PipelineWarmUpReport {
  const t0 = performance.now();
  const report: PipelineWarmUpReport = { estimates: 0, maxError: 0, ms: 0 };
  for (const [seed, side] of WARM_UP_SIDES.entries()) {
    const c = warmUpComposite(side, seed);
    const f = estimateForeground(c.image, c.alpha);
    report.estimates++;
    for (let i = 0; i < c.alpha.length; i++) {
      if (c.alpha[i] <= 0.5) continue;
      for (let k = 3 * i; k < 3 * i + 3; k++) report.maxError = Math.max(report.maxError, Math.abs(f[k] - c.foreground[k]));
    }
  }
  report.ms = performance.now() - t0;
  return report;
}

// One task at a time per worker; the pool cancels by terminating the thread.
// Null outside the thread spawned as 'pipeline-worker' (a bundler may load this module elsewhere).
const port = workerPort('pipeline-worker');
if (port) port.on('message', (req: PipelineRequest | PipelineWarmUpRequest) => {
  if (req.type === 'warm-up') {
    port.postMessage({ id: req.id, ok: true, report: warmUpForeground() } satisfies PipelineWarmUpResponse);
    return;
  }
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
