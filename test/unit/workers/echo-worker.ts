// Test worker for spawn.test.ts: doubles a number. SHM_TEST_ECHO_FAIL=1 makes it fail to load.
import { threadId } from 'node:worker_threads';
import { workerPort } from '../../../src/engine/workers/spawn';

if (process.env.SHM_TEST_ECHO_FAIL === '1') throw new Error('echo-worker failed to load');
const port = workerPort('echo-worker');
port?.on('message', (n: number) => port.postMessage({ n: 2 * n, thread: threadId }));
