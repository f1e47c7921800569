/**
 * Issue 17, the command line as a careless user drives it: outputs aimed at the originals, at each
 * other, through symbolic links and at system folders; special files as inputs; garbage trimaps;
 * limits beyond what the decoder can do. Every case runs the real `shm-studio` binary.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { originals, runCli, snapshot } from './files-helpers';

const guided = ['--refine', 'guided', '--concurrency', '2'];

describe('CLI output safety: one rule for --out and --alpha-dir', () => {
  it('--alpha-dir on the originals folder is refused before anything is written', async () => {
    const { root, src, trimaps } = await originals();
    const before = snapshot(src);
    const out = path.join(root, 'out');
    const r = await runCli(['matte', src, '--out', out, '--alpha-dir', src, '--trimaps', trimaps, ...guided]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--alpha-dir .*inside .*folder of originals/);
    expect(snapshot(src)).toEqual(before);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('--alpha-dir inside the originals folder is refused and not created', async () => {
    const { root, src, trimaps } = await originals();
    const before = snapshot(src);
    const r = await runCli(['matte', src, '--out', path.join(root, 'out'), '--alpha-dir', path.join(src, 'alphas'), '--trimaps', trimaps, ...guided]);
    expect(r.code).not.toBe(0);
    expect(fs.existsSync(path.join(src, 'alphas'))).toBe(false);
    expect(snapshot(src)).toEqual(before);
  });

  it('--alpha-dir equal to --out is refused: two outputs would share one path', async () => {
    const { root, src, trimaps } = await originals();
    const out = path.join(root, 'out');
    const r = await runCli(['matte', src, '--out', out, '--alpha-dir', `${out}/`, '--trimaps', trimaps, ...guided]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/same folder/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a refused --out inside the input leaves no folder behind', async () => {
    const { src, trimaps } = await originals();
    const before = snapshot(src);
    const r = await runCli(['matte', src, '--out', path.join(src, 'cutouts', 'deep'), '--trimaps', trimaps, ...guided]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/inside .*folder of originals/);
    expect(fs.existsSync(path.join(src, 'cutouts'))).toBe(false);
    expect(snapshot(src)).toEqual(before);
  });

  it('a symbolic link inside --out that leads into the originals is never written through', async () => {
    const { root, src, trimaps } = await originals();
    const before = snapshot(src);
    const out = path.join(root, 'out');
    fs.mkdirSync(out);
    fs.symlinkSync(path.join(src, 'sub'), path.join(out, 'sub'));
    const r = await runCli(['matte', src, '--out', out, '--trimaps', trimaps, '--json', ...guided]);
    expect(r.code).not.toBe(0);
    expect(snapshot(src)).toEqual(before);
    expect(`${r.stdout}${r.stderr}`).toMatch(/symbolic link/);
  });

  it('--out under /proc is refused at once', async () => {
    const { src, trimaps } = await originals();
    const r = await runCli(['matte', src, '--out', '/proc/self/shm-out', '--trimaps', trimaps, ...guided], 30_000);
    expect(r.timedOut).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/system folder/);
  });
});

describe('CLI inputs and limits', () => {
  it('a garbage trimap file fails its photo and the run exits non-zero', async () => {
    const { root, src, trimaps } = await originals();
    fs.writeFileSync(path.join(trimaps, 'a.png'), 'this is not a PNG');
    const r = await runCli(['matte', src, '--out', path.join(root, 'out'), '--trimaps', trimaps, '--json', ...guided]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { failed: number; images: { input: string; status: string; error?: string }[] };
    const a = summary.images.find((i) => i.input.endsWith('a.png'));
    expect(a?.status).toBe('failed');
    expect(a?.error).toMatch(/trimap/);
  });

  it('--max-megapixels above what the decoder can read is a usage error, and --help states the limit', async () => {
    const { root, src } = await originals();
    const r = await runCli(['matte', src, '--out', path.join(root, 'out'), '--max-megapixels', '300']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-megapixels .*268/);
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/--max-megapixels <n>.*at most 268/s);
  });

  it('device files and FIFOs named as inputs fail at once without being read', async () => {
    const { root } = await originals();
    const fifo = path.join(root, 'pipes', 'pipe.png');
    fs.mkdirSync(path.dirname(fifo));
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['matte', '/dev/zero', fifo, '--out', path.join(root, 'out'), '--json', ...guided], 30_000);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { failed: number; images: { input: string; status: string; error?: string }[] };
    expect(summary.failed).toBe(2);
    for (const i of summary.images) expect(i.error).toMatch(/not a regular file/);
  });
});
