import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeComposite, rawRgb, tempDir, writeGrey } from '../../fixtures/make-fixtures';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/shm-studio.mjs');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 1 << 24, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function inputs() {
  const root = tempDir('shm-cli-');
  const src = path.join(root, 'in');
  const trimaps = path.join(root, 'trimaps');
  const gt = path.join(root, 'gt');
  fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
  const a = makeComposite(60, 40, 31);
  const b = makeComposite(40, 50, 32);
  await rawRgb(a).png().toFile(path.join(src, 'a.png'));
  await rawRgb(b).png().toFile(path.join(src, 'sub', 'b.png'));
  fs.writeFileSync(path.join(src, 'notes.txt'), 'text');
  await writeGrey(path.join(trimaps, 'a.png'), a.trimap, a.width, a.height);
  await writeGrey(path.join(trimaps, 'b.png'), b.trimap, b.width, b.height);
  await writeGrey(path.join(gt, 'a.png'), a.alpha, a.width, a.height);
  await writeGrey(path.join(gt, 'b.png'), b.alpha, b.width, b.height);
  return { root, src, trimaps, gt, a, b };
}

describe('shm-studio CLI', () => {
  it('matte with --trimaps writes RGBA PNGs mirroring folders, alphas, and a JSON summary; eval scores them', async () => {
    const { root, src, trimaps, gt, a } = await inputs();
    const out = path.join(root, 'out');
    const alphas = path.join(root, 'alphas');
    const r = await run(['matte', src, '--out', out, '--trimaps', trimaps, '--refine', 'closed-form', '--alpha-dir', alphas, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { ok: number; failed: number; skipped: number; images: { input: string; status: string; ms: number; output?: string }[] };
    expect(summary).toMatchObject({ ok: 2, failed: 0, skipped: 1 });
    const byInput = Object.fromEntries(summary.images.map((i) => [path.relative(src, i.input), i]));
    expect(byInput['a.png']).toMatchObject({ status: 'ok', output: path.join(out, 'a.png') });
    expect(byInput['sub/b.png']).toMatchObject({ status: 'ok', output: path.join(out, 'sub', 'b.png') });
    expect(byInput['notes.txt'].status).toBe('skipped');
    expect(byInput['a.png'].ms).toBeGreaterThan(0);

    const { data, info } = await sharp(path.join(out, 'a.png')).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    for (let i = 0; i < a.width * a.height; i++) {
      if (a.trimap[i] === 255) expect(data[i * 4 + 3]).toBe(255);
      if (a.trimap[i] === 0) expect(data[i * 4 + 3]).toBe(0);
    }
    expect(fs.existsSync(path.join(alphas, 'sub', 'b.png'))).toBe(true);

    // eval against the known alphas: small errors, a row per image and the mean.
    const gtA = path.join(root, 'gt-a');
    fs.mkdirSync(gtA);
    fs.copyFileSync(path.join(gt, 'a.png'), path.join(gtA, 'a.png'));
    const e = await run(['eval', '--pred', alphas, '--gt', gtA, '--json']);
    expect(e.code, e.stderr).toBe(0);
    const scores = JSON.parse(e.stdout) as { count: number; mean: { sad: number; mse: number }; images: { name: string; sad: number }[] };
    expect(scores.count).toBe(1);
    expect(scores.mean.mse).toBeLessThan(0.01);
    // b's alpha sits in alphas/sub: with the full ground truth, b has no prediction and eval fails.
    const table = await run(['eval', '--pred', alphas, '--gt', gt]);
    expect(table.stdout).toMatch(/^image\s+SAD\s+MSE\s+Grad\s+Conn/m);
    expect(table.stdout).toMatch(/^b\s+no prediction/m);
    expect(table.code).toBe(1);
  });

  it('exits 1 when an image fails, 2 on a usage error, and prints the usage', async () => {
    const { root, src } = await inputs();
    const emptyTrimaps = path.join(root, 'no-trimaps');
    fs.mkdirSync(emptyTrimaps);
    const r = await run(['matte', path.join(src, 'a.png'), '--out', path.join(root, 'out2'), '--trimaps', emptyTrimaps, '--refine', 'guided']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no trimap a\.png/);
    expect(r.stdout).toMatch(/0 matted, 1 failed/);

    const usage = await run(['matte', src]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--out/);
    expect((await run(['frobnicate'])).code).toBe(2);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/shm-studio <command>/);

    // Output on top of the originals is refused.
    const inside = await run(['matte', src, '--out', path.join(src, 'sub'), '--trimaps', path.join(root, 'trimaps')]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/inside .*folder of originals/);
  });

  it('models lists the models and the execution provider', async () => {
    const r = await run(['models', '--ep', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { models: { id: string; role: string; license: string }[]; provider: { active: string } };
    expect(info.models.map((m) => m.id)).toContain('selfie-general');
    expect(info.models.find((m) => m.id === 'selfie-general')).toMatchObject({ role: 'segmenter', license: 'Apache-2.0' });
    expect(info.provider.active).toBe('cpu');
  });

  it('runs from the TypeScript sources when asked (or when they are newer than the bundle)', async () => {
    const r = await run(['models', '--ep', 'cpu', '--json'], { SHM_STUDIO_FROM_SOURCE: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { provider: { active: string } }).provider.active).toBe('cpu');
  });
});
