import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../shared/errors';
import { importSummary, isCompanionFile, plainError } from './messages';

const job = { jobId: 1, kind: 'import', state: 'done' as const, done: 3, failed: 0, total: 3 };

describe('messages people read', () => {
  it.each([
    ['/p/a.xmp', true],
    ['/p/a.XMP', true],
    ['/p/notes.txt', true],
    ['/p/a.json', true],
    ['/p/Thumbs.db', true],
    ['C:\\p\\desktop.ini', true],
    ['/p/.DS_Store', true],
    ['/p/a.jpg', false],
    ['/p/broken.png', false],
  ])('%s is a companion file: %s', (path, companion) => {
    expect(isCompanionFile(path)).toBe(companion);
  });

  it('sums an import up in one sentence, sidecars counted quietly, unreadable files named', () => {
    const summary = importSummary({
      ...job,
      message: '2 imported, 1 duplicates, 4 skipped',
      skipped: [
        { path: '/p/a.xmp', reason: 'not an image sharp can read' },
        { path: '/p/Thumbs.db', reason: 'x' },
        { path: '/p/n.txt', reason: 'x' },
        { path: '/p/broken.png', reason: 'corrupt' },
      ],
    });
    expect(summary).toEqual({
      kind: 'error',
      text: 'Import: 2 photos imported, 1 already in the project, 3 sidecar or system files left out. 1 file could not be read as a photo: broken.png.',
    });
  });

  it('is calm when only sidecars were left out', () => {
    expect(importSummary({ ...job, message: '1 imported, 0 duplicates, 1 skipped', skipped: [{ path: '/p/a.xmp', reason: 'x' }] })).toEqual({
      kind: 'info',
      text: 'Import: 1 photo imported, 1 sidecar or system file left out.',
    });
  });

  it('names three unreadable files and counts the rest', () => {
    const skipped = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ path: `/p/${n}.png`, reason: 'x' }));
    expect(importSummary({ ...job, message: '0 imported, 0 duplicates, 5 skipped', skipped }).text).toContain('5 files could not be read as photos: a.png, b.png, c.png and 2 more.');
  });

  it('never shows an error code', () => {
    expect(plainError(new ApiCallError({ code: 'NOT_FOUND', message: 'There is no folder at /x.' }))).toBe('There is no folder at /x.');
    expect(plainError(new ApiCallError({ code: 'ENGINE_UNAVAILABLE', message: 'socket closed' }))).not.toMatch(/ENGINE_UNAVAILABLE|socket/);
  });
});
