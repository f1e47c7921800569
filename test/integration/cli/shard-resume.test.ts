import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MANIFEST_DIR } from '../../../src/cli/resume-manifest';
import { parseShard, shardOf } from '../../../src/cli/shard';
import { makeComposite, rawRgb, tempDir, writeGrey } from '../../fixtures/make-fixtures';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/shm-studio.mjs');

interface Summary {
  ok: number;
  failed: number;
  alreadyDone: number;
  images: { input: string; status: string; output?: string }[];
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const photoName = (i: number) => (i % 3 === 2 ? `sub/p${i}.png` : `p${i}.png`);

/** A folder of photos (some in a subfolder) with their trimaps. */
async function folder(names: string[], width: number, height: number): Promise<{ root: string; src: string; trimaps: string; names: string[] }> {
  const root = tempDir('shm-shard-');
  const src = path.join(root, 'in');
  const trimaps = path.join(root, 'trimaps');
  fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
  for (const [i, rel] of names.entries()) {
    const c = makeComposite(width, height, 50 + i);
    await rawRgb(c).png().toFile(path.join(src, rel));
    await writeGrey(path.join(trimaps, rel), c.trimap, c.width, c.height);
  }
  return { root, src, trimaps, names };
}

/** Every main output under out (the manifest folder aside), by relative path. */
function outputs(out: string): string[] {
  if (!fs.existsSync(out)) return [];
  return (fs.readdirSync(out, { recursive: true }) as string[])
    .map((p) => p.split(path.sep).join('/'))
    .filter((p) => p.endsWith('.png') && !p.startsWith(MANIFEST_DIR) && !path.basename(p).startsWith('.'))
    .sort();
}

function manifestInputs(out: string): string[] {
  const dir = path.join(out, MANIFEST_DIR);
  return fs.readdirSync(dir).flatMap((f) =>
    fs
      .readFileSync(path.join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { input: string }).input),
  );
}

describe('--shard K/N', () => {
  it('parses K/N counted from 0 and refuses anything else with a usage error', async () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/3', '-1/3', '1/0', '1', 'a/b', '1/3/4']) expect(() => parseShard(bad)).toThrow(/--shard must be K\/N/);
    const r = await run(['matte', tempDir('shm-shard-empty-'), '--out', path.join(tempDir('shm-shard-out-'), 'o'), '--shard', '3/3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard must be K\/N/);
  });

  it('splits inputs by a stable hash: every input in exactly one of N shards, the same on every call', () => {
    const rels = Array.from({ length: 300 }, (_, i) => `folder${i % 7}/photo ${i}.jpg`);
    const counts = [0, 0, 0];
    for (const r of rels) {
      const k = shardOf(r, 3);
      expect(shardOf(r, 3)).toBe(k);
      counts[k]++;
    }
    expect(counts.reduce((a, b) => a + b)).toBe(300);
    for (const c of counts) expect(c).toBeGreaterThan(70);
    // a.jpg and a.png write the same a.png: they must meet in one process.
    expect(shardOf('x/a.jpg', 5)).toBe(shardOf('x/a.png', 5));
  });

  it('three --shard k/3 processes at once on one folder write every image exactly once', async () => {
    // Four photos per shard, so all three processes have work at the same time.
    const all = Array.from({ length: 60 }, (_, i) => photoName(i));
    const picked = [0, 1, 2].flatMap((k) => all.filter((n) => shardOf(n, 3) === k).slice(0, 4));
    const { root, src, trimaps, names } = await folder(picked, 48, 40);
    const out = path.join(root, 'out');
    const runs = await Promise.all([0, 1, 2].map((k) => run(['matte', src, '--out', out, '--trimaps', trimaps, '--shard', `${k}/3`, '--json'])));
    const written: string[] = [];
    for (const [k, r] of runs.entries()) {
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout) as Summary;
      expect(s.failed).toBe(0);
      const mine = s.images.map((img) => path.relative(out, img.output ?? '').split(path.sep).join('/'));
      expect(mine.sort()).toEqual(names.filter((n) => shardOf(n, 3) === k).sort());
      written.push(...mine);
    }
    const expected = [...names].sort();
    // Each image reported written by exactly one process, on disk once, listed once.
    expect(written.sort()).toEqual(expected);
    expect(outputs(out)).toEqual(expected);
    expect(manifestInputs(out).sort()).toEqual(expected);
    expect(fs.readdirSync(path.join(out, MANIFEST_DIR)).sort()).toEqual(['0-of-3.jsonl', '1-of-3.jsonl', '2-of-3.jsonl']);
  }, 120_000);
});

describe('--resume', () => {
  it('a run killed mid-way and resumed writes the rest and nothing twice', async () => {
    const { root, src, trimaps, names } = await folder(Array.from({ length: 10 }, (_, i) => photoName(i)), 360, 300);
    const out = path.join(root, 'out');
    const child: ChildProcess = spawn(process.execPath, [bin, 'matte', src, '--out', out, '--trimaps', trimaps, '--concurrency', '1', '--json'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Kill it (SIGKILL: no clean-up) once some but not all images are out.
    const deadline = Date.now() + 90_000;
    while (outputs(out).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    const first = outputs(out);
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(first.length).toBeLessThan(names.length);
    const stamp = (rel: string) => {
      const st = fs.statSync(path.join(out, rel));
      return `${st.ino}:${st.mtimeMs}`;
    };
    const before = Object.fromEntries(first.map((rel) => [rel, stamp(rel)]));

    const r = await run(['matte', src, '--out', out, '--trimaps', trimaps, '--concurrency', '1', '--resume', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.alreadyDone).toBe(first.length);
    expect(s.ok).toBe(names.length - first.length);
    // The resumed run wrote only what was missing; the killed run's files are untouched.
    const resumed = s.images.map((i) => path.relative(out, i.output ?? '').split(path.sep).join('/'));
    for (const rel of resumed) expect(first).not.toContain(rel);
    for (const rel of first) expect(stamp(rel)).toBe(before[rel]);
    expect(outputs(out)).toEqual([...names].sort());
    const listed = manifestInputs(out);
    expect(new Set(listed).size).toBe(listed.length);

    // Resuming a finished folder does nothing and succeeds.
    const again = await run(['matte', src, '--out', out, '--trimaps', trimaps, '--resume', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: 0, alreadyDone: names.length });
  }, 180_000);
});
