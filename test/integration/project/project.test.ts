import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject, migrate, ProjectError, SCHEMA_VERSION, type Project } from '../../../src/engine/project';
import { AppSettingsStore, RecentProjects } from '../../../src/engine/user';
import { makeImportFolder, snapshot, tempDir } from '../../fixtures/make-fixtures';

const open: Project[] = [];
afterEach(() => {
  while (open.length) open.pop()?.close();
});
function track(p: Project): Project {
  open.push(p);
  return p;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof ProjectError ? err.code : `other: ${String(err)}`;
  }
  return undefined;
}

describe('openProject', () => {
  it('creates a project folder with a WAL database at the current schema', () => {
    const dir = path.join(tempDir(), 'My Shoot');
    const p = track(openProject(dir, { create: true }));
    expect(p.dir).toBe(dir);
    expect(p.name).toBe('My Shoot');
    expect(fs.existsSync(path.join(dir, 'project.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'cache'))).toBe(true);
    expect(p.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(p.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(p.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('gives typed errors: not found, not a project, locked, schema too new', () => {
    const root = tempDir();
    expect(codeOf(() => openProject(path.join(root, 'missing')))).toBe('PROJECT_NOT_FOUND');
    expect(codeOf(() => openProject(root))).toBe('NOT_A_PROJECT');
    fs.writeFileSync(path.join(root, 'project.db'), 'hello, not sqlite at all');
    expect(codeOf(() => openProject(root))).toBe('NOT_A_PROJECT');

    const dir = path.join(root, 'p');
    track(openProject(dir, { create: true }));
    expect(codeOf(() => openProject(dir))).toBe('PROJECT_LOCKED');
    open.pop()?.close();
    // A lock left by a process that no longer exists is stale and taken over.
    fs.writeFileSync(path.join(dir, 'project.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname() }));
    track(openProject(dir)).close();
    open.pop();

    const db = new Database(path.join(dir, 'project.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(codeOf(() => openProject(dir))).toBe('SCHEMA_TOO_NEW');
    // The refused open released its lock.
    expect(fs.existsSync(path.join(dir, 'project.lock'))).toBe(false);
  });

  it('migrates a version-1 database to the current schema and keeps its rows', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, 'project.db'));
    migrate(db, 1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('name', 'Old one')`).run();
    db.prepare(
      `INSERT INTO images (rel_path, source_path, sha256, width, height, format, status, added_at) VALUES ('x.jpg', '/nowhere/x.jpg', 'abc', 10, 20, 'jpeg', 'auto', '2020-01-01T00:00:00.000Z')`,
    ).run();
    db.close();

    const p = track(openProject(dir));
    expect(p.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(p.name).toBe('Old one');
    const [img] = p.listImages();
    expect(img).toMatchObject({ relPath: 'x.jpg', width: 10, height: 20, status: 'auto', addedAt: '2020-01-01T00:00:00.000Z' });
    // New tables from later migrations work with the old row.
    expect(p.trimaps.state(img.id)).toMatchObject({ version: 0, canUndo: false });
    const cols = p.db.prepare<[], { name: string }>(`PRAGMA table_info(images)`).all().map((c) => c.name);
    expect(cols).toContain('depth');
  });
});

describe('import', () => {
  it('imports a folder recursively: duplicates, corrupt, non-images and EXIF rotation handled; originals untouched', async () => {
    const src = tempDir('shm-src-');
    const fx = await makeImportFolder(src);
    const before = snapshot(src);
    const p = track(openProject(path.join(tempDir(), 'proj'), { create: true }));
    const progress: number[] = [];
    const report = await p.importPaths([src], { onProgress: (e) => progress.push(e.done) });

    const byPath = new Map(report.imported.map((r) => [r.sourcePath, r]));
    for (const g of [...fx.good, fx.rotated, fx.sixteenBit, fx.cmyk, fx.grey]) expect(byPath.has(g), g).toBe(true);
    expect(report.imported).toHaveLength(8);
    expect(report.duplicates).toEqual([{ path: fx.duplicate, existingId: byPath.get(fx.good[0])!.id }]);
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
    expect(skipped).toEqual({ [fx.corrupt]: 'corrupt', [fx.notImage]: 'not-an-image' });

    expect(byPath.get(fx.rotated)).toMatchObject({ width: 20, height: 40, format: 'jpeg', status: 'new' });
    expect(byPath.get(fx.good[1])).toMatchObject({ relPath: 'nested/b.png', width: 48, height: 64, format: 'png' });
    expect(byPath.get(fx.good[2])!.relPath).toBe('nested/deeper/c.webp');
    expect(progress.at(-1)).toBe(11);

    // Listing and lookups agree with the report.
    expect(p.listImages().map((i) => i.id).sort()).toEqual(report.imported.map((i) => i.id).sort());
    expect(p.listImages({ status: ['failed'] })).toEqual([]);
    expect(p.getImage(byPath.get(fx.rotated)!.id)?.sourcePath).toBe(fx.rotated);
    expect(p.originalFile(byPath.get(fx.cmyk)!.id)).toBe(fx.cmyk);

    // Thumbnails: upright, at most 256 px, re-made on demand if the cache loses them.
    const thumb = await p.thumbnailFile(byPath.get(fx.rotated)!.id);
    const meta = await sharp(thumb).metadata();
    expect([meta.width, meta.height]).toEqual([20, 40]);
    fs.rmSync(thumb);
    expect(fs.existsSync(await p.thumbnailFile(byPath.get(fx.rotated)!.id))).toBe(true);

    // Importing again finds everything as duplicates.
    const again = await p.importPaths([src]);
    expect(again.imported).toHaveLength(0);
    expect(again.duplicates).toHaveLength(9);

    expect(snapshot(src)).toEqual(before);
  });

  it('skips images over the pixel limit and reports the reason', async () => {
    const src = tempDir('shm-src-');
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#336699' } }).png().toFile(path.join(src, 'big.png'));
    await sharp({ create: { width: 100, height: 100, channels: 3, background: '#336699' } }).png().toFile(path.join(src, 'small.png'));
    const p = track(openProject(path.join(tempDir(), 'proj'), { create: true, maxPixels: 50_000 }));
    const report = await p.importPaths([src]);
    expect(report.imported.map((i) => i.relPath)).toEqual(['small.png']);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]).toMatchObject({ reason: 'too-large' });
    expect(report.skipped[0].message).toMatch(/over the limit/);
  });

  it('stops when aborted and says so', async () => {
    const src = tempDir('shm-src-');
    await makeImportFolder(src);
    const p = track(openProject(path.join(tempDir(), 'proj'), { create: true }));
    const ctl = new AbortController();
    const report = await p.importPaths([src], { signal: ctl.signal, onProgress: (e) => e.done === 2 && ctl.abort() });
    expect(report.cancelled).toBe(true);
    expect(report.imported.length + report.duplicates.length + report.skipped.length).toBe(2);
  });
});

describe('app data', () => {
  it('keeps recent projects newest first, without duplicates, and settings with defaults', () => {
    const appData = tempDir('shm-appdata-');
    const recent = new RecentProjects(appData);
    expect(recent.list()).toEqual([]);
    recent.touch('/a/one', 'one');
    recent.touch('/a/two', 'two');
    recent.touch('/a/one', 'one');
    expect(new RecentProjects(appData).list().map((r) => r.path)).toEqual(['/a/one', '/a/two']);
    fs.writeFileSync(recent.file, '{ damaged');
    expect(recent.list()).toEqual([]);

    const settings = new AppSettingsStore(appData);
    expect(settings.get().executionProvider).toBe('auto');
    settings.update({ executionProvider: 'cpu', maxMegapixels: 24 });
    expect(new AppSettingsStore(appData).get()).toMatchObject({ executionProvider: 'cpu', maxMegapixels: 24, decontaminate: true });
  });
});
