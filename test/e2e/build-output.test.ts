/** The built Node side (out/main) imports native modules by name instead of bundling them. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

const dir = path.resolve('out/main');
const sources = () => fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');

describe('main build', () => {
  it.each(['better-sqlite3', 'onnxruntime-node', 'sharp'])('keeps %s external', (name) => {
    const escaped = name.replace(/[-/]/g, '\\$&');
    expect(sources()).toMatch(new RegExp(`(from |import\\()["']${escaped}["']`));
  });

  it('builds every worker thread that the source spawns as its own entry', () => {
    const spawned = new Set<string>();
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/spawnWorker\(import\.meta\.url, '([\w-]+)'\)/g)) spawned.add(m[1]);
      }
    };
    walk(path.resolve('src'));
    expect(spawned.size).toBeGreaterThanOrEqual(4);
    for (const worker of spawned) expect(fs.existsSync(path.join(dir, `${worker}.js`)), `${worker}.js`).toBe(true);
  });

  it('the inference worker loads neither zod nor protobufjs (its start is on every batch\'s critical path)', () => {
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/(?:from|import\()\s*["']\.\/([^"']+)["']/g)) walk(m[1]);
    };
    walk('inference-worker.js');
    const code = [...seen].map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(code).toMatch(/from ["']onnxruntime-node["']/);
    expect(code).not.toMatch(/from ["']zod["']/);
    expect(code).not.toMatch(/from ["']protobufjs["']/);
  });

  it('the bundled command line (out/main/cli.js) mattes a photo through the built workers', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-cli-bundle-'));
    const input = path.join(root, 'in');
    fs.mkdirSync(input);
    await sharp(path.resolve('../shared/fixtures/astronaut.png')).resize(96, 96).toFile(path.join(input, 'astronaut.png'));
    const out = path.join(root, 'out');
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'cli.js'), 'matte', input, '--out', out, '--refine', 'guided', '--ep', 'cpu', '--json']);
    const summary = JSON.parse(stdout) as { ok: number; images: { status: string; provider?: string }[] };
    expect(summary.ok).toBe(1);
    expect(summary.images[0]).toMatchObject({ status: 'ok', provider: 'cpu' });
    const { info, data } = await sharp(path.join(out, 'astronaut.png')).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 96, height: 96, channels: 4 });
    // The figure is opaque somewhere and the corners are background.
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] === 255) opaque++;
    expect(opaque).toBeGreaterThan(96 * 96 * 0.1);
    expect(data[3]).toBe(0);
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);
});
