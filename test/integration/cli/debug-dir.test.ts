import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../fixtures/make-fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, '../../../bin/shm-studio.mjs');
const astronaut = path.resolve(here, '../../fixtures/astronaut-256.png');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // From the sources: this suite checks the code beside it, not a bundle built before it.
    execFile(process.execPath, [bin, ...args], { maxBuffer: 1 << 24, env: { ...process.env, SHM_STUDIO_FROM_SOURCE: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('shm-studio matte --debug-dir', () => {
  it("writes the automatic trimap's parts of each photo as PNGs, the trimap at the photo's size", async () => {
    const root = tempDir('shm-debug-');
    const src = path.join(root, 'in', 'sub');
    fs.mkdirSync(src, { recursive: true });
    // A 3:2 photo, so the squares along the long side are used.
    await sharp(astronaut).resize(384, 256, { fit: 'fill' }).png().toFile(path.join(src, 'astro.png'));
    const debug = path.join(root, 'debug');
    const r = await run(['matte', path.join(root, 'in'), '--out', path.join(root, 'out'), '--ep', 'cpu', '--refine', 'guided', '--debug-dir', debug, '--band-scale', '1.5']);
    expect(r.code, r.stderr).toBe(0);
    const dir = path.join(debug, 'sub', 'astro');
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(expect.arrayContaining(['band.png', 'crop-0-full.png', 'crop-1-tile.png', 'crop-2-tile.png', 'probability.png', 'selection.png', 'trimap.png', 'views.png']));
    const trimap = await sharp(path.join(dir, 'trimap.png')).raw().toBuffer({ resolveWithObject: true });
    expect([trimap.info.width, trimap.info.height]).toEqual([384, 256]);
    const values = new Set(trimap.data);
    expect([...values].every((v) => v === 0 || v === 128 || v === 255)).toBe(true);
    expect(values.has(128)).toBe(true);
    const tile = await sharp(path.join(dir, 'crop-1-tile.png')).metadata();
    expect(tile.width).toBe(tile.height);
  }, 120_000);

  it('refuses a negative band scale as a usage error', async () => {
    const r = await run(['matte', astronaut, '--out', tempDir('shm-debug-bad-'), '--band-scale', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--band-scale/);
  });
});
