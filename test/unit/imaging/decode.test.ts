import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRgb, decodeGrey, probeImage } from '../../../src/engine/imaging/decode';
import { ImageError } from '../../../src/engine/imaging/errors';
import { writeFileAtomic, explainWriteError, nodeWriteFs } from '../../../src/engine/imaging/atomic-write';
import { makeImportFolder, tempDir } from '../../fixtures/make-fixtures';

const fx = await makeImportFolder(tempDir('shm-img-'));

describe('decode', () => {
  it('applies EXIF orientation: a 40×20 image stored with orientation 6 decodes upright as 20×40', async () => {
    const info = await probeImage(fx.rotated);
    expect([info.width, info.height, info.orientation]).toEqual([20, 40, 6]);
    const img = await decodeRgb(fx.rotated);
    expect([img.width, img.height, img.data.length]).toEqual([20, 40, 20 * 40 * 3]);
  });

  it('reduces 16-bit to 8-bit by scaling, not truncating', async () => {
    expect((await probeImage(fx.sixteenBit)).depth).toBe('ushort');
    const img = await decodeRgb(fx.sixteenBit);
    const row = Array.from({ length: 16 }, (_, x) => img.data[x * 3]);
    expect(row[0]).toBe(0);
    expect(row[15]).toBe(255);
    expect(Math.abs(row[8] - Math.round((8 / 15) * 255))).toBeLessThanOrEqual(1);
  });

  it('converts CMYK and greyscale to RGB', async () => {
    expect((await probeImage(fx.cmyk)).space).toBe('cmyk');
    const cmyk = await decodeRgb(fx.cmyk);
    const [r, g, b] = cmyk.data;
    expect(r).toBeGreaterThan(200);
    expect(g).toBeGreaterThan(80);
    expect(g).toBeLessThan(180);
    expect(b).toBeLessThan(60);
    const grey = await decodeRgb(fx.grey);
    expect(grey.data.length).toBe(20 * 10 * 3);
    expect(grey.data[0]).toBe(grey.data[1]);
    expect(grey.data[1]).toBe(grey.data[2]);
    expect((await decodeGrey(fx.grey)).data.length).toBe(200);
  });

  it('classifies bad inputs', async () => {
    const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof ImageError ? e.code : String(e)));
    expect(await code(decodeRgb(fx.notImage))).toBe('NOT_AN_IMAGE');
    expect(await code(decodeRgb(fx.corrupt))).toBe('CORRUPT');
    expect(await code(decodeRgb(path.join(fx.root, 'missing.png')))).toBe('UNREADABLE');
    expect(await code(decodeRgb(fx.good[0], { maxPixels: 100 }))).toBe('TOO_LARGE');
  });

  it('calls a missing file missing while other decodes fail beside it (sharp reads a shared error buffer)', async () => {
    const missing = path.join(fx.root, 'gone.png');
    const junk = Buffer.from('not an image, only words');
    const messages = new Set<string>();
    for (let round = 0; round < 400; round++) {
      const [first, ...rest] = await Promise.allSettled([probeImage(missing), ...Array.from({ length: 6 }, () => probeImage(junk)), probeImage(missing)]);
      for (const r of [first, rest.at(-1)!]) messages.add(((r as PromiseRejectedResult).reason as Error).message);
    }
    // Without the check of its own, about one answer in 600 came back "not an image sharp can read".
    expect([...messages]).toEqual([`${missing}: file is missing`]);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file completely, and on failure leaves neither a partial file nor a temporary one', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.png');
    await writeFileAtomic(file, Buffer.from('first'));
    await writeFileAtomic(file, Buffer.from('second'));
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    const failing = {
      ...nodeWriteFs,
      async writeFile(f: string, d: Uint8Array) {
        fs.writeFileSync(f, d.subarray(0, 2));
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    };
    await expect(writeFileAtomic(file, Buffer.from('third'), failing)).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    expect(fs.readdirSync(dir)).toEqual(['out.png']);
    await expect(writeFileAtomic(path.join(dir, 'nope', 'x.png'), Buffer.from('x'))).rejects.toMatchObject({ code: 'OUTPUT_MISSING' });
  });

  it('explains errno codes', () => {
    const e = (code: string) => explainWriteError(Object.assign(new Error(code), { code }), '/o/x.png');
    expect(e('EROFS').code).toBe('OUTPUT_READ_ONLY');
    expect(e('EACCES').message).toMatch(/not writable/);
    expect(e('ENOSPC').message).toMatch(/No space left/);
    expect(e('EIO').code).toBe('WRITE_FAILED');
  });
});
