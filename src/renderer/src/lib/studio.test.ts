import { describe, expect, it } from 'vitest';
import type { StudioClient } from '../../../shared/client';
import type { ImageView } from '../../../shared/contract';
import { LibraryManager } from './library.svelte';
import { imageView } from './test-fixtures';
import { StudioManager } from './studio.svelte';

/** A client over an in-memory project that records the methods called. */
function fakeClient(images: ImageView[]): { client: StudioClient; calls: string[] } {
  const calls: string[] = [];
  const client = {
    call: async (method: string) => {
      calls.push(method);
      if (method === 'images.list') return { images };
      throw new Error(`unexpected ${method}`);
    },
    on: () => () => undefined,
    mediaUrl: (ref: string) => `/media/${ref}`,
  } as unknown as StudioClient;
  return { client, calls };
}

describe('StudioManager image changes', () => {
  it('updates a changed tile in place (no re-list), and the library counts follow', () => {
    const { client, calls } = fakeClient([]);
    const studio = new StudioManager(client);
    studio.images = [imageView(1, 'auto'), imageView(2, 'auto'), imageView(3, 'new')];
    const library = new LibraryManager(studio);
    expect(library.counts.auto).toBe(2);
    studio.applyImageChange({ ids: [2], images: [imageView(2, 'edited')] });
    expect(studio.images.map((i) => i.status)).toEqual(['auto', 'edited', 'new']);
    expect(library.counts).toMatchObject({ auto: 1, edited: 1, new: 1 });
    expect(calls).toEqual([]);
  });

  it('re-lists for a change it cannot place: a new image, or no views', async () => {
    const listed = [imageView(1, 'auto'), imageView(2, 'auto'), imageView(7, 'new')];
    const { client, calls } = fakeClient(listed);
    const studio = new StudioManager(client);
    studio.project = { path: '/p', name: 'p', imageCount: 2, exportDir: null };
    studio.images = listed.slice(0, 2);
    const library = new LibraryManager(studio);
    studio.applyImageChange({ ids: [7], images: [imageView(7, 'new')] });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['images.list']);
    expect(studio.images.map((i) => i.id)).toEqual([1, 2, 7]);
    expect(studio.project?.imageCount).toBe(3);
    expect(library.total).toBe(3);
    studio.applyImageChange({ ids: [1] });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['images.list', 'images.list']);
  });
});

describe('StudioManager and a closing project', () => {
  it('drops a listing that arrives after the project was closed (no tiles, no project brought back)', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const client = {
      call: (method: string) => {
        if (method === 'images.list') return new Promise((resolve) => (answer = resolve));
        return Promise.resolve({ closed: true });
      },
      on: () => () => undefined,
      mediaUrl: (ref: string) => `/media/${ref}`,
    } as unknown as StudioClient;
    const studio = new StudioManager(client);
    studio.project = { path: '/p', name: 'p', imageCount: 0, exportDir: null };
    const listing = studio.refreshImages();
    await studio.closeProject();
    answer({ images: [imageView(1, 'new')] });
    await listing;
    expect(studio.project).toBeNull();
    expect(studio.images).toEqual([]);
  });
});
