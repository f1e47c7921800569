import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputDir, flatStem, mirroredName, resolveCollision, sourceRoot } from '../../../src/engine/export/paths';
import { tempDir } from '../../fixtures/make-fixtures';

describe('export paths', () => {
  it('mirrors relative paths and flattens for datasets', () => {
    expect(mirroredName('a/b/photo.jpeg')).toBe('a/b/photo.png');
    expect(mirroredName('photo.tar.jpg')).toBe('photo.tar.png');
    expect(flatStem('a/b/photo.jpg')).toBe('a__b__photo');
    expect(sourceRoot('/x/shoot/a/b.jpg', 'a/b.jpg')).toBe('/x/shoot');
  });

  it('resolves collisions by policy, including names claimed earlier in the same export', () => {
    const dir = tempDir();
    const f = path.join(dir, 'x.png');
    expect(resolveCollision(f, 'skip')).toBe(f);
    fs.writeFileSync(f, '');
    expect(resolveCollision(f, 'skip')).toBeUndefined();
    expect(resolveCollision(f, 'overwrite')).toBe(f);
    expect(resolveCollision(f, 'suffix')).toBe(path.join(dir, 'x-1.png'));
    const taken = new Set([path.join(dir, 'x-1.png')]);
    expect(resolveCollision(f, 'suffix', taken)).toBe(path.join(dir, 'x-2.png'));
    // Two images of one export that map to the same name never overwrite each other.
    expect(resolveCollision(path.join(dir, 'y.png'), 'overwrite', new Set([path.join(dir, 'y.png')]))).toBe(path.join(dir, 'y-1.png'));
  });

  it('refuses output folders that are missing, files, or inside a folder of originals', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'photos', 'sub'), { recursive: true });
    fs.mkdirSync(path.join(root, 'exports'));
    fs.writeFileSync(path.join(root, 'file'), '');
    const sources = [{ sourcePath: path.join(root, 'photos', 'sub', 'a.jpg'), relPath: 'sub/a.jpg' }];
    const code = (dir: string) => {
      try {
        checkOutputDir(dir, sources);
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code(path.join(root, 'exports'))).toBe('ok');
    expect(code(path.join(root, 'photos'))).toBe('OUTPUT_INSIDE_SOURCE');
    expect(code(path.join(root, 'photos', 'sub'))).toBe('OUTPUT_INSIDE_SOURCE');
    expect(code(path.join(root, 'missing'))).toBe('OUTPUT_MISSING');
    expect(code(path.join(root, 'file'))).toBe('OUTPUT_NOT_FOLDER');
  });
});
