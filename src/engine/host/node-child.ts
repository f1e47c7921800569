/**
 * Engine host as a plain Node child process (child_process.fork with an IPC channel). Used by the
 * tests of the Electron relay, which speak the same protocol as Electron's utilityProcess.
 */
import { serveEngine } from './serve';
import type { ToEngine } from './protocol';

if (!process.send) throw new Error('node-child must be started with an IPC channel (child_process.fork)');
serveEngine(
  {
    post: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', (m) => listener(m as ToEngine)),
  },
  {
    appDataDir: process.env.SHM_APP_DATA ?? '',
    shell: 'test',
    onInternalError: (err) => console.error('[engine] internal error:', err),
  },
  () => process.exit(0),
);
