import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../../../src/engine/project';
import { TRIMAP_BG, TRIMAP_FG, TRIMAP_UNKNOWN } from '../../../src/shared/strokes';
import { makeComposite, rawRgb, tempDir } from '../../fixtures/make-fixtures';
import { killAndWait, spawnTs, waitForLines } from '../helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const open: Project[] = [];
afterEach(() => {
  while (open.length) open.pop()?.close();
});

async function projectWithImage(): Promise<{ p: Project; id: number; dir: string }> {
  const src = tempDir('shm-src-');
  await rawRgb(makeComposite(40, 30, 7)).png().toFile(path.join(src, 'one.png'));
  const dir = path.join(tempDir(), 'proj');
  const p = openProject(dir, { create: true });
  open.push(p);
  const report = await p.importPaths([src]);
  return { p, id: report.imported[0].id, dir };
}

describe('trimap edit history', () => {
  it('applies edits in order, undoes, redoes, drops the redo tail on a new edit, and persists the cursor', async () => {
    const { p, id, dir } = await projectWithImage();
    const auto = new Uint8Array(40 * 30).fill(TRIMAP_UNKNOWN);
    const h = p.trimaps;
    expect(h.state(id)).toMatchObject({ version: 0, latest: 0, canUndo: false, canRedo: false });

    h.add(id, { kind: 'stroke', stroke: { tool: 'fg', radius: 3, hardness: 1, points: [[10, 10]] } });
    h.add(id, { kind: 'stroke', stroke: { tool: 'bg', radius: 3, hardness: 1, points: [[30, 20]] } });
    const v2 = h.compose(id, auto);
    expect(v2[10 * 40 + 10]).toBe(TRIMAP_FG);
    expect(v2[20 * 40 + 30]).toBe(TRIMAP_BG);
    expect(p.getImage(id)?.status).toBe('edited');

    const undone = h.undo(id);
    expect(undone).toMatchObject({ version: 1, latest: 2, canUndo: true, canRedo: true });
    expect(h.compose(id, auto)[20 * 40 + 30]).toBe(TRIMAP_UNKNOWN);
    expect(h.redo(id).version).toBe(2);
    expect(h.redo(id).version).toBe(2);
    const revAt2 = h.revision(id);

    h.undo(id);
    // An edit after an undo drops the redo tail; the new version 2 is a different trimap.
    const after = h.add(id, { kind: 'stroke', stroke: { tool: 'unknown', radius: 2, hardness: 1, points: [[10, 10]] } });
    expect(after).toMatchObject({ version: 2, latest: 2, canRedo: false });
    expect(h.revision(id)).not.toBe(revAt2);
    expect(h.compose(id, auto)[20 * 40 + 30]).toBe(TRIMAP_UNKNOWN);

    // A raster edit replaces everything; erase brings back the automatic value.
    const raster = new Uint8Array(40 * 30).fill(TRIMAP_FG);
    h.add(id, { kind: 'raster', raster });
    h.add(id, { kind: 'stroke', stroke: { tool: 'erase', radius: 2, hardness: 1, points: [[0, 0]] } });
    const v4 = h.compose(id, auto);
    expect(v4[0]).toBe(TRIMAP_UNKNOWN);
    expect(v4[15 * 40 + 20]).toBe(TRIMAP_FG);
    expect(h.compose(id, auto, 1)[10 * 40 + 10]).toBe(TRIMAP_FG);

    h.undo(id);
    p.close();
    open.pop();
    const again = openProject(dir);
    open.push(again);
    expect(again.trimaps.state(id)).toMatchObject({ version: 3, latest: 4, canRedo: true });
    expect(again.trimaps.state(id).edits.map((e) => e.kind)).toEqual(['stroke', 'stroke', 'raster', 'stroke']);
    expect(again.trimaps.compose(id, auto)[0]).toBe(TRIMAP_FG);

    // Undo back to the start: the image is no longer 'edited'.
    for (let i = 0; i < 3; i++) again.trimaps.undo(id);
    expect(again.getImage(id)?.status).toBe('new');
  });

  it('rejects a raster of the wrong size and an invalid stroke without saving anything', async () => {
    const { p, id } = await projectWithImage();
    expect(() => p.trimaps.add(id, { kind: 'raster', raster: new Uint8Array(10) })).toThrow(/image is 40×30/);
    expect(() => p.trimaps.add(id, { kind: 'stroke', stroke: { tool: 'fg', radius: -1, hardness: 1, points: [[1, 1]] } })).toThrow(/radius/);
    expect(p.trimaps.state(id).latest).toBe(0);
  });

  it('keeps every committed edit when the process is killed in the middle of saving', async () => {
    const { p, id, dir } = await projectWithImage();
    p.close();
    open.pop();
    const child = spawnTs(path.join(here, 'child-edits.ts'), [dir, String(id)]);
    const lines = await waitForLines(child, (l) => l.filter((x) => x.startsWith('committed')).length >= 60);
    await killAndWait(child);
    const reported = Math.max(...lines.filter((l) => l.startsWith('committed')).map((l) => Number(l.split(' ')[1])));

    // The stale lock of the killed process does not lock the user out.
    const again = openProject(dir);
    open.push(again);
    expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const state = again.trimaps.state(id);
    // Every version the child saw committed is there (it may have committed one more before the kill).
    expect(state.version).toBeGreaterThanOrEqual(reported);
    expect(state.latest).toBe(state.version);
    expect(state.edits.map((e) => e.version)).toEqual(Array.from({ length: state.version }, (_, i) => i + 1));
    const edits = again.trimaps.edits(id);
    edits.forEach((e, i) => {
      const n = i + 1;
      if (n % 5 === 0) expect(e.kind).toBe('raster');
      else expect(e).toEqual({ kind: 'stroke', stroke: { tool: 'fg', radius: 1 + (n % 7), hardness: 1, points: [[n % 40, n % 30]] } });
    });
    // And the history still works after the crash.
    expect(again.trimaps.undo(id).version).toBe(state.version - 1);
    expect(fs.existsSync(path.join(dir, 'project.lock'))).toBe(true);
  });
});

describe('alpha cache', () => {
  it('finds an alpha by (image, trimap revision, method, settings) and forgets it when the file is gone', async () => {
    const { p, id } = await projectWithImage();
    const key = { imageId: id, trimapRevision: p.trimaps.revision(id), method: 'guided', settings: { b: 1, a: [1, 2] } };
    expect(p.alphas.get(key)).toBeUndefined();
    const file = await p.alphas.put(key, Buffer.from('png bytes'));
    expect(p.alphas.get({ ...key, settings: { a: [1, 2], b: 1 } })).toBe(file);
    expect(p.alphas.get({ ...key, method: 'closed-form' })).toBeUndefined();
    expect(p.alphas.get({ ...key, settings: { a: [1, 2], b: 2 } })).toBeUndefined();
    p.trimaps.add(id, { kind: 'stroke', stroke: { tool: 'fg', radius: 1, hardness: 1, points: [[1, 1]] } });
    expect(p.alphas.get({ ...key, trimapRevision: p.trimaps.revision(id) })).toBeUndefined();
    fs.rmSync(file);
    expect(p.alphas.get(key)).toBeUndefined();
  });
});
