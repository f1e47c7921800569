import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../../../src/engine/project';
import { JobManager, JobStore } from '../../../src/engine/jobs';
import { exportJobHandler } from '../../../src/engine/pipeline';
import { nodeWriteFs, type WriteFs } from '../../../src/engine/imaging/atomic-write';
import { makeComposite, rawRgb, tempDir, type Composite } from '../../fixtures/make-fixtures';
import { cornerDistanceEngine } from '../../fixtures/test-engine';

const open: Project[] = [];
const mounts: string[] = [];
afterEach(() => {
  while (open.length) open.pop()?.close();
});
afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m]);
    } catch {
      // already gone
    }
  }
});

/** A tmpfs of `size` at a fresh folder, or undefined where mounting is not allowed (not root, containers). */
function tryMountTmpfs(options: string): string | undefined {
  const dir = tempDir('shm-mnt-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    mounts.push(dir);
    return dir;
  } catch {
    return undefined;
  }
}

interface Fixture {
  p: Project;
  src: string;
  composites: Map<string, Composite>;
}

async function project(n = 3, size: [number, number] = [64, 48]): Promise<Fixture> {
  const src = tempDir('shm-src-');
  fs.mkdirSync(path.join(src, 'sub'));
  const composites = new Map<string, Composite>();
  for (let i = 0; i < n; i++) {
    const rel = i % 2 ? `sub/pic${i}.jpg` : `pic${i}.png`;
    const c = makeComposite(size[0], size[1], 20 + i);
    composites.set(rel, c);
    const s = rawRgb(c);
    await (rel.endsWith('.jpg') ? s.jpeg({ quality: 100, chromaSubsampling: '4:4:4' }) : s.png()).toFile(path.join(src, rel));
  }
  const p = openProject(path.join(tempDir(), 'proj'), { create: true });
  open.push(p);
  await p.importPaths([src]);
  return { p, src, composites };
}

function manager(p: Project, writeFs?: WriteFs, concurrency = 2) {
  const store = new JobStore(p.db);
  return { store, jobs: new JobManager({ store, concurrency, handlers: { export: exportJobHandler(p, cornerDistanceEngine(), writeFs) } }) };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

const dist = (a: ArrayLike<number>, i: number, c: [number, number, number]) => Math.abs(a[i * 3] - c[0]) + Math.abs(a[i * 3 + 1] - c[1]) + Math.abs(a[i * 3 + 2] - c[2]);

describe('export', () => {
  it('writes straight-alpha RGBA PNGs mirroring the source folders, with decontaminated edge colours', async () => {
    const { p, composites } = await project();
    const out = tempDir('shm-out-');
    const { jobs, store } = manager(p);
    const ids = p.listImages().map((i) => i.id);
    const job = await jobs.finished(
      jobs.start('export', { outDir: out, refine: 'closed-form', modelId: 'test', alphaDir: path.join(out, 'alpha'), trimapDir: path.join(out, 'trimap') }, ids),
    );
    expect(job).toMatchObject({ state: 'done', done: 3, failed: 0 });
    expect(filesUnder(out)).toEqual(['alpha/pic0.png', 'alpha/pic2.png', 'alpha/sub/pic1.png', 'pic0.png', 'pic2.png', 'sub/pic1.png', 'trimap/pic0.png', 'trimap/pic2.png', 'trimap/sub/pic1.png']);
    for (const img of p.listImages()) expect(img.status).toBe('exported');

    const c = composites.get('pic0.png')!;
    const { data, info } = await sharp(path.join(out, 'pic0.png')).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([64, 48, 4]);
    const rgb = new Uint8Array(c.width * c.height * 3);
    let sadAlpha = 0;
    let edgeOut = 0;
    let edgeIn = 0;
    let edgeCount = 0;
    for (let i = 0; i < c.width * c.height; i++) {
      for (let k = 0; k < 3; k++) rgb[i * 3 + k] = data[i * 4 + k];
      sadAlpha += Math.abs(data[i * 4 + 3] - c.alpha[i]) / 255;
      if (c.trimap[i] === 255) expect(data[i * 4 + 3]).toBe(255);
      if (c.trimap[i] === 0) expect(data[i * 4 + 3]).toBe(0);
      if (c.alpha[i] > 50 && c.alpha[i] < 200) {
        edgeOut += dist(rgb, i, c.fg);
        edgeIn += dist(c.rgb, i, c.fg);
        edgeCount++;
      }
    }
    // The matte is close to the known alpha (mean error under 3 % per pixel)…
    expect(sadAlpha / (c.width * c.height)).toBeLessThan(0.03);
    // …and the edge colours moved towards the true foreground colour: no fringe of the old background.
    expect(edgeCount).toBeGreaterThan(20);
    expect(edgeOut / edgeCount).toBeLessThan(0.5 * (edgeIn / edgeCount));

    // The grey alpha file holds the same alpha as the PNG's fourth channel.
    expect((await sharp(path.join(out, 'alpha/pic0.png')).metadata()).channels).toBe(1);
    const alphaFile = await sharp(path.join(out, 'alpha/pic0.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < c.width * c.height; i++) expect(alphaFile.data[i]).toBe(data[i * 4 + 3]);

    // Collision policies on a second export into the same folder.
    const again = await jobs.finished(jobs.start('export', { outDir: out, refine: 'closed-form', modelId: 'test', collision: 'suffix' }, [ids[0]]));
    expect(store.items(again.id)[0].output).toMatch(/pic0-1\.png$/);
    const skip = await jobs.finished(jobs.start('export', { outDir: out, refine: 'closed-form', modelId: 'test', collision: 'skip' }, [ids[0]]));
    expect(store.items(skip.id)[0].output).toBeUndefined();
    expect(fs.existsSync(path.join(out, 'pic0-2.png'))).toBe(false);
  });

  it('writes the dataset layout that SHM training code reads', async () => {
    const { p } = await project();
    const out = tempDir('shm-out-');
    const { jobs } = manager(p);
    const job = await jobs.finished(jobs.start('export', { outDir: out, layout: 'dataset', refine: 'guided', modelId: 'test' }, p.listImages().map((i) => i.id)));
    expect(job.state).toBe('done');
    const names = ['pic0.png', 'pic2.png', 'sub__pic1.png'];
    for (const d of ['image', 'mask', 'trimap', 'alpha']) expect(fs.readdirSync(path.join(out, d)).sort()).toEqual(names);
    expect(fs.readFileSync(path.join(out, 'train.txt'), 'utf8')).toBe(names.map((n) => `${n}\n`).join(''));
    const mask = await sharp(path.join(out, 'mask/pic0.png')).raw().toBuffer();
    expect(new Set(mask)).toEqual(new Set([0, 255]));
    const image = await sharp(path.join(out, 'image/pic0.png')).metadata();
    expect([image.channels, image.hasAlpha]).toEqual([3, false]);
  });

  it('refuses an output folder inside the originals, or missing, as a failed job with a clear reason', async () => {
    const { p, src } = await project(1);
    const { jobs } = manager(p);
    const id = p.listImages()[0].id;
    const inside = await jobs.finished(jobs.start('export', { outDir: path.join(src, 'sub'), modelId: 'test' }, [id]));
    expect(inside).toMatchObject({ state: 'failed' });
    expect(inside.reason).toMatch(/inside .*folder of originals/);
    const missing = await jobs.finished(jobs.start('export', { outDir: path.join(src, '..', 'nope-not-here'), modelId: 'test' }, [id]));
    expect(missing.reason).toMatch(/does not exist/);
    expect(filesUnder(path.join(src, 'sub'))).toEqual([]);
  });

  it('a read-only output folder fails the job with a clear error and writes nothing', async () => {
    const { p } = await project(2);
    let out = tryMountTmpfs('size=1m,ro');
    if (!out) {
      // Not root or cannot mount: a folder without write permission (root would ignore it).
      out = tempDir('shm-ro-');
      fs.chmodSync(out, 0o555);
    }
    const { jobs, store } = manager(p);
    const job = await jobs.finished(jobs.start('export', { outDir: out, modelId: 'test', refine: 'guided' }, p.listImages().map((i) => i.id)));
    expect(job.state).toBe('failed');
    expect(job.reason).toMatch(/not writable/);
    expect(filesUnder(out)).toEqual([]);
    // Nothing was processed: the job can be resumed to another run once the folder is fixed.
    expect(store.items(job.id, ['queued'])).toHaveLength(2);
  });

  it('a full disk (injected ENOSPC) fails with a clear error and leaves no partial PNG', async () => {
    const { p } = await project(3);
    const out = tempDir('shm-out-');
    let writes = 0;
    const fullAfterTwo: WriteFs = {
      ...nodeWriteFs,
      async writeFile(file, data) {
        if (++writes > 2) {
          // Like a real full disk: part of the data lands, then the write fails.
          fs.writeFileSync(file, data.subarray(0, 10));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        return nodeWriteFs.writeFile(file, data);
      },
    };
    // One image at a time, so which writes fail is known.
    const { jobs } = manager(p, fullAfterTwo, 1);
    const job = await jobs.finished(jobs.start('export', { outDir: out, modelId: 'test', refine: 'guided', alphaDir: path.join(out, 'alpha') }, p.listImages().map((i) => i.id)));
    expect(job.state).toBe('failed');
    expect(job.reason).toMatch(/No space left on the device/);
    // The first image (cut-out + alpha) is complete; the second was rolled back; no temporary files remain.
    expect(filesUnder(out)).toEqual(['alpha/pic0.png', 'pic0.png']);
    await sharp(path.join(out, 'pic0.png')).raw().toBuffer();
  });

  it('a really full disk (a tiny tmpfs, where mount is allowed) fails with a clear error and leaves no partial PNG', async (ctx) => {
    const out = tryMountTmpfs('size=8k');
    if (!out) return ctx.skip();
    const { p } = await project(4, [160, 120]);
    const { jobs } = manager(p);
    const job = await jobs.finished(jobs.start('export', { outDir: out, modelId: 'test', refine: 'guided' }, p.listImages().map((i) => i.id)));
    expect(job.state).toBe('failed');
    expect(job.reason).toMatch(/No space left on the device/);
    for (const f of filesUnder(out)) {
      expect(f).not.toMatch(/\.tmp$/);
      await sharp(path.join(out, f)).raw().toBuffer();
    }
  });
});
