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
