/**
 * The built command line's batch start-up (a spare inference thread started before the CLI's own
 * modules load, the model session and worker threads warmed up together, the image codecs loaded
 * behind them) changes when things start, never what comes out: a batch at the default
 * concurrency writes every photo once, with the same pixels as a run of one image at a time.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { MatteSummary } from '../../src/cli/matte-command';

const cli = path.resolve('out/main/cli.js');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-cli-batch-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function matte(input: string, out: string, extra: string[]): Promise<MatteSummary> {
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'matte', input, '--out', out, '--refine', 'closed-form', '--ep', 'cpu', '--json', ...extra], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout) as MatteSummary;
}

describe('shm-studio matte, built, on a batch', () => {
  it('writes every photo exactly once, with the pixels of a one-at-a-time run', async () => {
    const input = path.join(root, 'in');
    fs.mkdirSync(input);
    const names = ['p0.png', 'p1.png', 'p2.png', 'p3.png', 'p4.png'];
    for (const [i, name] of names.entries()) {
      let s = sharp(path.resolve('../shared/fixtures/astronaut.png')).resize(112 + 8 * i, 112).modulate({ brightness: 0.9 + 0.05 * i, hue: 11 * i });
      if (i % 2) s = s.flop();
      await s.png().toFile(path.join(input, name));
    }
    const batch = path.join(root, 'batch');
    const sequential = path.join(root, 'sequential');
    const many = await matte(input, batch, []);
    const one = await matte(input, sequential, ['--concurrency', '1']);
    for (const s of [many, one]) {
      expect(s).toMatchObject({ ok: names.length, failed: 0, skipped: 0 });
      expect(s.peakRssMb).toBeGreaterThan(0);
    }
    // Every output once, nothing else in the folder (the resume manifest is hidden).
    expect(fs.readdirSync(batch).filter((f) => !f.startsWith('.')).sort()).toEqual(names);
    expect(new Set(many.images.map((i) => i.output)).size).toBe(names.length);
    for (const name of names) {
      const [a, b] = await Promise.all([batch, sequential].map((dir) => sharp(path.join(dir, name)).raw().toBuffer({ resolveWithObject: true })));
      expect(a.info).toMatchObject({ channels: 4, width: b.info.width, height: b.info.height });
      expect(a.data.equals(b.data), name).toBe(true);
      // A real matte: some pixels opaque, some clear.
      let opaque = 0;
      let clear = 0;
      for (let i = 3; i < a.data.length; i += 4) {
        if (a.data[i] === 255) opaque++;
        else if (a.data[i] === 0) clear++;
      }
      expect(opaque).toBeGreaterThan(0);
      expect(clear).toBeGreaterThan(0);
    }
  }, 180_000);
});
