/**
 * The interactive path reads each input once: opening an image (and loading its trimap and
 * automatic-trimap previews) decodes the automatic trimap once, and a refinement decodes the
 * original once and the automatic trimap not again. Counted on the real studio, real project,
 * real model and solver, with the decoders wrapped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Decode from '../../../src/engine/imaging/decode';
import { makeComposite, rawRgb, tempDir } from '../../fixtures/make-fixtures';

const counts = vi.hoisted(() => ({ rgb: [] as string[], grey: [] as string[] }));
vi.mock('../../../src/engine/imaging/decode', async (importOriginal) => {
  const real = await importOriginal<typeof Decode>();
  return {
    ...real,
    decodeRgb: (file: string, ...rest: unknown[]) => {
      counts.rgb.push(path.basename(file));
      return (real.decodeRgb as (...a: unknown[]) => unknown)(file, ...rest);
    },
    decodeGrey: (file: string, ...rest: unknown[]) => {
      counts.grey.push(path.basename(file));
      return (real.decodeGrey as (...a: unknown[]) => unknown)(file, ...rest);
    },
  };
});

const { inProcessStudio } = await import('../../helpers/in-process-studio');

const root = tempDir('shm-decodes-');
const { studio, events, call, jobDone } = inProcessStudio(root);
afterAll(() => studio.close());

describe('decodes on the interactive path', () => {
  it('opening an image decodes its automatic trimap once; a refinement decodes the original once', async () => {
    const photos = path.join(root, 'photos');
    fs.mkdirSync(photos);
    await rawRgb(makeComposite(96, 72, 5)).png().toFile(path.join(photos, 'person.png'));
    await call('project.create', { path: path.join(root, 'project') });
    const { jobId } = await call<{ jobId: number }>('images.import', { paths: [photos] });
    await jobDone(jobId);
    const [image] = (await call<{ images: { id: number }[] }>('images.list', {})).images;

    counts.rgb.length = 0;
    counts.grey.length = 0;
    const detail = await call<{ trimap: { ref: string; autoRef: string } }>('image.open', { imageId: image.id });
    expect(await studio.resolveMedia(detail.trimap.ref)).not.toBeNull();
    expect(await studio.resolveMedia(detail.trimap.autoRef)).not.toBeNull();
    // The first open makes the automatic trimap from the original (one decode) and never reads it back.
    expect(counts.rgb).toEqual(['person.png']);
    expect(counts.grey).toEqual([]);

    counts.rgb.length = 0;
    const refine = await call<{ jobId: number }>('image.refine', { imageId: image.id, method: 'guided' });
    expect((await jobDone(refine.jobId)).state).toBe('done');
    expect(counts.rgb).toEqual(['person.png']);
    expect(counts.grey).toEqual([]);

    // After a restart of the studio's project (no memory of decoded trimaps): one read of the stored automatic trimap.
    await call('project.open', { path: path.join(root, 'project') });
    counts.rgb.length = 0;
    const again = await call<{ trimap: { ref: string; autoRef: string } }>('image.open', { imageId: image.id });
    await studio.resolveMedia(again.trimap.ref);
    await studio.resolveMedia(again.trimap.autoRef);
    expect(counts.grey).toEqual([`${image.id}.png`]);
    expect(counts.rgb).toEqual([]);
  });

  it('a stroke on an edited image emits no image event, so no window re-lists the project', async () => {
    const [image] = (await call<{ images: { id: number }[] }>('images.list', {})).images;
    const stroke = (x: number) => call('trimap.stroke', { imageId: image.id, stroke: { tool: 'fg', radius: 3, hardness: 1, points: [[x, 30]] } });
    await stroke(40);
    await new Promise((r) => setTimeout(r, 20));
    const changed = () => events.filter((e) => e.event === 'images.changed').length;
    const before = changed();
    expect(events.filter((e) => e.event === 'images.changed').at(-1)?.payload).toMatchObject({ ids: [image.id], images: [{ id: image.id, status: 'edited' }] });
    for (let x = 41; x < 51; x++) await stroke(x);
    await new Promise((r) => setTimeout(r, 20));
    expect(changed()).toBe(before);
  });
});

describe('one way to switch sessions', () => {
  it('a settings change that rebuilds the engine reopens the project through the same path as project.open (project.changed)', async () => {
    const before = events.length;
    await call('settings.set', { bandPercent: 2 });
    const after = events.slice(before).map((e) => e.event);
    // The old rebuild swapped the session silently (no project.changed; jobs a crash had interrupted were not resumed).
    expect(after).toContain('project.changed');
    expect(after).toContain('settings.changed');
    const info = await call<{ project: { imageCount: number } | null }>('app.info', {});
    expect(info.project?.imageCount).toBe(1);
  });
});
