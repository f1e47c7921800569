import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFolder } from '../../../src/engine/features/files';
import { StudioError } from '../../../src/shared/errors';

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shm-list-folder-'));
  await fs.mkdir(path.join(dir, 'b-folder'));
  await fs.mkdir(path.join(dir, 'A-folder'));
  await fs.mkdir(path.join(dir, '.hidden-folder'));
  for (const name of ['img10.JPG', 'img2.png', 'notes.txt', '.DS_Store', 'photo.xmp']) await fs.writeFile(path.join(dir, name), 'x');
  await fs.symlink(path.join(dir, 'b-folder'), path.join(dir, 'link-to-folder'));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('listFolder (the folder browser)', () => {
  it('lists folders first, then photos, then other files, in natural order, hidden ones left out', async () => {
    const listing = await listFolder(dir);
    expect(listing.path).toBe(dir);
    expect(listing.parent).toBe(path.dirname(dir));
    expect(listing.entries).toEqual([
      { name: 'A-folder', kind: 'folder' },
      { name: 'b-folder', kind: 'folder' },
      { name: 'link-to-folder', kind: 'folder' },
      { name: 'img2.png', kind: 'photo' },
      { name: 'img10.JPG', kind: 'photo' },
      { name: 'notes.txt', kind: 'file' },
      { name: 'photo.xmp', kind: 'file' },
    ]);
    expect(listing.more).toBe(0);
  });

  it('starts at the home folder when no path is given; the root has no parent', async () => {
    expect((await listFolder(undefined)).path).toBe(os.homedir());
    expect((await listFolder(path.parse(dir).root)).parent).toBeNull();
  });

  it('answers a missing folder, a file and a relative path with typed errors', async () => {
    await expect(listFolder(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(listFolder(path.join(dir, 'notes.txt'))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(listFolder('relative/path')).rejects.toBeInstanceOf(StudioError);
  });
});
