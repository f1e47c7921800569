/**
 * `npm run web`: the studio in a browser. Serves the built renderer and the engine on
 * 127.0.0.1 and prints the URL with this run's token.
 */
import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createStudio } from '../engine/studio';
import { startWebServer } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SHM_PORT ?? '0' },
    'app-data': { type: 'string', default: process.env.SHM_APP_DATA ?? path.join(os.homedir(), '.config', 'shm-studio') },
    renderer: { type: 'string' },
  },
});

// Built layout: out/main/web.js beside out/renderer/.
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = values.renderer ?? path.resolve(here, '../renderer');

const server = await startWebServer({
  rendererDir,
  port: Number(values.port),
  token: process.env.SHM_TOKEN || undefined,
  createStudio: (emit) =>
    createStudio({
      appDataDir: values['app-data'],
      shell: 'browser',
      emit,
      onInternalError: (err) => console.error('[engine] internal error:', err),
    }),
});

console.log(`SHM Studio (browser mode) is listening on ${server.origin} (loopback only).`);
console.log(`Open: ${server.url}`);
console.log('Press Ctrl+C to stop.');

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
