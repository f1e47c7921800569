/**
 * Issue 17, item 6: SIGKILL an export at 20 seeded random moments, resume it each time, and check
 * the output folder: no temporary debris, no renamed-around duplicates (`name-1.png`), every
 * cut-out with its alpha and trimap, every file a whole PNG.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openProject } from '../../src/engine/project';
import { JobStore } from '../../src/engine/jobs';
import { makeComposite, rawRgb, tempDir } from '../fixtures/make-fixtures';
import { killAndWait, spawnTs, waitForLines } from '../integration/helpers';
import { mulberry32 } from '../helpers/random';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'files-export-child.ts');
const IMAGES = 160;
const KILLS = 20;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('export killed at random moments', () => {
  it(`${KILLS} SIGKILLs, each resumed: no debris, no duplicates, every unit complete`, async () => {
    const root = tempDir('shm-adv-kill-');
    const src = path.join(root, 'photos');
    fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
    for (let i = 0; i < IMAGES; i++) {
      await rawRgb(makeComposite(160, 120, 100 + i)).png().toFile(path.join(src, i % 3 ? '' : 'sub', `p${i}.png`));
    }
    const dir = path.join(root, 'project');
    const p = openProject(dir, { create: true });
    await p.importPaths([src]);
    expect(p.listImages()).toHaveLength(IMAGES);
    p.close();
    const out = path.join(root, 'out');
    fs.mkdirSync(out);

    const random = mulberry32(17);
    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const c = spawnTs(child, [dir, out]);
      // Once the child is writing (its first image of this run done), kill it at a random moment of the next few.
      const started = (l: string[]) => l.filter((x) => x.startsWith('progress running')).map((x) => Number(x.split(' ')[2]));
      const lines = await waitForLines(c, (l) => l.some((x) => x.startsWith('finished')) || new Set(started(l)).size >= 2);
      if (lines.some((x) => x.startsWith('finished'))) break;
      const delay = Math.floor(random() * 120);
      await new Promise((r) => setTimeout(r, delay));
      killedAt.push(delay);
      await killAndWait(c);
    }
    // The last run resumes to the end.
    const last = spawnTs(child, [dir, out]);
    const lines = await waitForLines(last, (l) => l.some((x) => x.startsWith('finished')), 120_000);
    expect(lines.find((x) => x.startsWith('finished'))).toBe(`finished done ${IMAGES} 0`);
    await new Promise((r) => last.once('exit', r));
    const files = listFiles(out);
    const debris = files.filter((f) => path.basename(f).startsWith('.'));
    const duplicates = files.filter((f) => /-\d+\.png$/.test(f));
    expect({ debris, duplicates }).toEqual({ debris: [], duplicates: [] });
    const mains = files.filter((f) => !f.startsWith('alpha/') && !f.startsWith('trimap/'));
    expect(mains).toHaveLength(IMAGES);
    for (const m of mains) {
      for (const f of [m, path.join('alpha', m), path.join('trimap', m)]) {
        const meta = await sharp(path.join(out, f)).metadata();
        expect(meta.width, f).toBe(160);
      }
    }
    expect(files).toHaveLength(IMAGES * 3);
    expect(killedAt.length).toBe(KILLS);
    const db = openProject(dir);
    const job = new JobStore(db.db).list()[0];
    expect(job).toMatchObject({ state: 'done', done: IMAGES, failed: 0 });
    db.close();
  });
});
