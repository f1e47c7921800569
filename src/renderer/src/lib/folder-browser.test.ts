import { afterEach, describe, expect, it } from 'vitest';
import { nativeFolderPicker } from './folder-browser.svelte';

const world = globalThis as { shm?: unknown };
afterEach(() => delete world.shm);

describe('nativeFolderPicker', () => {
  it('is the preload bridge’s folder dialog in the desktop app', async () => {
    const asked: unknown[] = [];
    world.shm = { pickFolder: async (request: unknown) => (asked.push(request), '/home/me/photos') };
    const pick = nativeFolderPicker();
    expect(pick).not.toBeNull();
    expect(await pick!({ title: 'Import a folder', start: '/home/me' })).toBe('/home/me/photos');
    expect(asked).toEqual([{ title: 'Import a folder', start: '/home/me' }]);
  });

  it('is absent in a browser (the engine’s folder browser is used)', () => {
    expect(nativeFolderPicker()).toBeNull();
    world.shm = { call: () => undefined };
    expect(nativeFolderPicker()).toBeNull();
  });
});
