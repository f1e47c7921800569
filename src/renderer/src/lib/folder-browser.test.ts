import { afterEach, describe, expect, it } from 'vitest';
import type { StudioClient } from '../../../shared/client';
import { ApiCallError } from '../../../shared/errors';
import { FolderBrowser, nativeFolderPicker } from './folder-browser.svelte';

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

describe('FolderBrowser', () => {
  const listing = (p: string) => ({ path: p, parent: null, home: '/home/me', entries: [], more: 0 });

  it('shows the newest request only: a slow first listing does not hide the error of a later one', async () => {
    const waiting: (() => void)[] = [];
    const api = {
      call: (_method: string, params: { path?: string }) =>
        params.path === '/nowhere'
          ? Promise.reject(new ApiCallError({ code: 'NOT_FOUND', message: 'There is no folder at /nowhere' }))
          : new Promise((resolve) => waiting.push(() => resolve(listing('/home/me')))),
    } as unknown as StudioClient;
    const browser = new FolderBrowser(api);
    const first = browser.go();
    const second = browser.go('/nowhere');
    // The failed request falls back to the home folder (nothing was shown yet) and keeps its message.
    await new Promise((r) => setTimeout(r, 0));
    expect(waiting).toHaveLength(2);
    waiting[1]();
    expect(await second).toBe(true);
    waiting[0]();
    expect(await first).toBe(false);
    expect(browser.listing?.path).toBe('/home/me');
    expect(browser.error).toContain('There is no folder at /nowhere');
  });
});
