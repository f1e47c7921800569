import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_DIR, ResumeManifest } from '../../../src/cli/resume-manifest';
import { tempDir } from '../../fixtures/make-fixtures';

describe('ResumeManifest', () => {
  it('creates nothing until an image is recorded, then counts recorded and already written outputs as done', () => {
    const out = tempDir('shm-manifest-');
    const m = new ResumeManifest(out, undefined);
    expect(fs.existsSync(path.join(out, MANIFEST_DIR))).toBe(false);
    fs.mkdirSync(path.join(out, 'sub'));
    fs.writeFileSync(path.join(out, 'sub', 'a-1.png'), 'x');
    m.record('sub/a.jpg', path.join(out, 'sub', 'a-1.png'));
    fs.writeFileSync(path.join(out, 'b.png'), 'x');
    const again = new ResumeManifest(out, { index: 1, count: 2 });
    expect(again.isDone('sub/a.jpg')).toBe(true); // listed under its suffixed name
    expect(again.isDone('b.jpg')).toBe(true); // not listed, but its output is there
    expect(again.isDone('c.jpg')).toBe(false);
    fs.rmSync(path.join(out, 'sub', 'a-1.png'));
    expect(new ResumeManifest(out, undefined).isDone('sub/a.jpg')).toBe(false); // listed, output deleted since
  });

  it('ignores a line torn by a kill and starts the next on a fresh line', () => {
    const out = tempDir('shm-manifest-');
    const file = path.join(out, MANIFEST_DIR, '0-of-2.jsonl');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '{"input":"a.jpg","output":"a.png"}\n{"input":"b.jp');
    for (const f of ['a.png', 'c.png']) fs.writeFileSync(path.join(out, f), 'x');
    const m = new ResumeManifest(out, { index: 0, count: 2 });
    expect(m.isDone('a.jpg')).toBe(true);
    expect(m.isDone('b.jpg')).toBe(false);
    m.record('c.jpg', path.join(out, 'c.png'));
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines).toEqual(['{"input":"a.jpg","output":"a.png"}', '{"input":"b.jp', '{"input":"c.jpg","output":"c.png"}', '']);
    fs.rmSync(path.join(out, 'c.png'));
    fs.writeFileSync(path.join(out, 'c-renamed.png'), 'x');
    expect(new ResumeManifest(out, undefined).isDone('c.jpg')).toBe(false);
  });
});
