import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../../../src/engine/project';
import { imageEvents, nextStatus, statusTransitions } from '../../../src/engine/project/image-state';
import { matteProjectImage } from '../../../src/engine/pipeline/project-matte';
import { imageStatuses, type ImageStatus } from '../../../src/shared/vocabulary';
import { makeComposite, rawRgb, tempDir } from '../../fixtures/make-fixtures';
import { cornerDistanceEngine } from '../../fixtures/test-engine';

const open: Project[] = [];
afterEach(() => {
  while (open.length) open.pop()?.close();
});

async function projectWithImage(): Promise<{ p: Project; id: number }> {
  const src = tempDir('shm-src-');
  await rawRgb(makeComposite(48, 36, 3)).png().toFile(path.join(src, 'one.png'));
  const p = openProject(path.join(tempDir(), 'proj'), { create: true });
  open.push(p);
  const report = await p.importPaths([src]);
  return { p, id: report.imported[0].id };
}

const setRaw = (p: Project, id: number, status: ImageStatus) => p.db.prepare('UPDATE images SET status = ?, error = NULL WHERE id = ?').run(status, id);

describe('image state machine', () => {
  it('follows the transition table for every status and event, in the database', async () => {
    const { p, id } = await projectWithImage();
    let checked = 0;
    for (const from of imageStatuses) {
      for (const event of imageEvents) {
        setRaw(p, id, from);
        const expected = statusTransitions[from][event] ?? from;
        expect(p.recordEvent(id, event, 'boom'), `${from} + ${event}`).toBe(expected);
        const row = p.getImage(id);
        expect(row?.status, `${from} + ${event}`).toBe(expected);
        // Only a failed image carries an error message.
        expect(row?.error === 'boom', `${from} + ${event}`).toBe(expected === 'failed' && event === 'failed');
        checked++;
      }
    }
    expect(checked).toBe(imageStatuses.length * imageEvents.length);
  });

  it('says what the table says for the life of an image', () => {
    const life = ['auto-made', 'edited', 'refined', 'exported', 'edited', 'back-to-auto', 'refined', 'failed', 'refined'] as const;
    const seen: ImageStatus[] = [];
    let status: ImageStatus = 'new';
    for (const event of life) seen.push((status = nextStatus(status, event)));
    expect(seen).toEqual(['auto', 'edited', 'refined', 'exported', 'edited', 'auto', 'refined', 'failed', 'refined']);
    // A new automatic trimap never hides the user's edits, and a refine of an exported image keeps it exported.
    expect(nextStatus('edited', 'auto-made')).toBe('edited');
    expect(nextStatus('exported', 'refined')).toBe('exported');
  });

  it('reports each change once, after the transaction, with repeated changes of one image folded', async () => {
    const { p, id } = await projectWithImage();
    const heard: number[] = [];
    p.states.onChange((imageId) => heard.push(imageId));
    p.trimaps.add(id, { kind: 'stroke', stroke: { tool: 'fg', radius: 2, hardness: 1, points: [[5, 5]] } });
    p.trimaps.undo(id);
    p.trimaps.redo(id);
    expect(heard).toEqual([]);
    await Promise.resolve();
    expect(heard).toEqual([id]);
    // A second stroke on an edited image changes nothing a tile shows: no event.
    p.trimaps.add(id, { kind: 'stroke', stroke: { tool: 'bg', radius: 2, hardness: 1, points: [[40, 30]] } });
    await Promise.resolve();
    expect(heard).toEqual([id]);
  });

  it('is refined after undo + refine when the cut-out for that trimap is already cached (the cache path)', async () => {
    const { p, id } = await projectWithImage();
    const engine = cornerDistanceEngine();
    const options = { refine: 'guided', modelId: 'test', decontaminate: false };
    p.trimaps.add(id, { kind: 'stroke', stroke: { tool: 'fg', radius: 3, hardness: 1, points: [[24, 18]] } });
    const first = await matteProjectImage(p, id, options, engine);
    expect(first.cached).toBe(false);
    p.trimaps.add(id, { kind: 'stroke', stroke: { tool: 'bg', radius: 2, hardness: 1, points: [[2, 2]] } });
    p.trimaps.undo(id);
    expect(p.getImage(id)?.status).toBe('edited');
    const again = await matteProjectImage(p, id, options, engine);
    expect(again.cached).toBe(true);
    expect(p.getImage(id)?.status).toBe('refined');
    await engine.close?.();
  });
});
