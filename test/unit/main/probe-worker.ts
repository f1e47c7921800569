// Test worker for test/unit/main/packaging.test.ts: loads another worker's module in a thread
// spawned under its own name, then answers pings; the other module must stay silent.
import { workerPort } from '../../../src/engine/workers/spawn';
import '../../../src/engine/matting/workers/matting-worker';

const port = workerPort('probe-worker');
if (port) {
  port.on('message', (m: unknown) => {
    if (m === 'ping') port.postMessage('pong');
  });
  port.postMessage('ready');
}
