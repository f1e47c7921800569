/** The packaging config keeps native modules loadable and the release fuses safe. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const config = fs.readFileSync('electron-builder.yml', 'utf8');

describe('electron-builder.yml', () => {
  it.each(['better-sqlite3', 'onnxruntime-node', 'sharp', '@img'])('unpacks %s from the asar archive', (name) => {
    expect(config).toContain(`'**/node_modules/${name}/**'`);
  });

  it('turns RunAsNode off and asar integrity on', () => {
    expect(config).toMatch(/runAsNode: false/);
    expect(config).toMatch(/enableEmbeddedAsarIntegrityValidation: true/);
    expect(config).toMatch(/onlyLoadAppFromAsar: true/);
    expect(config).toMatch(/enableNodeOptionsEnvironmentVariable: false/);
  });
});

describe('worker modules', () => {
  it('attach nothing in a thread spawned under another name (so they may share a bundle chunk)', async () => {
    const { spawnWorker } = await import('../../../src/engine/workers/spawn');
    // probe-worker loads the matting worker's module, then answers pings itself.
    const worker = spawnWorker(import.meta.url, 'probe-worker');
    try {
      const replies: unknown[] = [];
      worker.on('message', (m) => replies.push(m));
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        const wait = () => (replies.includes('ready') ? resolve() : setTimeout(wait, 10));
        wait();
      });
      // A matting request: the matting handler, if attached here, would answer it.
      worker.postMessage({ id: 1, image: { width: 1, height: 1, data: new Uint8Array(3) }, trimap: new Uint8Array([128]), options: { method: 'guided' } });
      worker.postMessage('ping');
      await new Promise<void>((resolve) => {
        const wait = () => (replies.includes('pong') ? resolve() : setTimeout(wait, 10));
        wait();
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(replies).toEqual(['ready', 'pong']);
    } finally {
      await worker.terminate();
    }
  });
});
