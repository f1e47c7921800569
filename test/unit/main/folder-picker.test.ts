/** Main's folder dialog for the page: only the studio's page may open it, with checked arguments. */
import { describe, expect, it } from 'vitest';
import { setupFolderPicker } from '../../../src/main/folder-picker';
import { trustedUrlChecker, type InvokeEvent } from '../../../src/main/ipc';
import { IpcChannel } from '../../../src/shared/ipc-channels';

const page = 'file:///opt/shm/resources/app.asar/out/renderer/index.html';

function picker(answer: string | null) {
  const shown: unknown[] = [];
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  setupFolderPicker(
    { handle: (channel, fn) => handlers.set(channel, fn) },
    async (request) => {
      shown.push(request);
      return answer;
    },
    trustedUrlChecker(undefined, page),
  );
  const invoke = (url: string | null, request: unknown) => handlers.get(IpcChannel.pickFolder)!({ senderFrame: url === null ? null : { url } }, request) as Promise<string | null>;
  return { invoke, shown };
}

describe('setupFolderPicker', () => {
  it('shows the dialog for the studio page and answers the chosen folder', async () => {
    const { invoke, shown } = picker('/home/me/photos');
    expect(await invoke(page, { title: 'Import a folder', start: '/home/me' })).toBe('/home/me/photos');
    expect(await invoke(page, { title: 'Project folder' })).toBe('/home/me/photos');
    expect(shown).toEqual([{ title: 'Import a folder', start: '/home/me' }, { title: 'Project folder' }]);
  });

  it('answers null when the person cancels', async () => {
    expect(await picker(null).invoke(page, { title: 'Export folder' })).toBeNull();
  });

  it.each([
    ['a foreign page', 'https://evil.example/', { title: 'x' }],
    ['no frame', null, { title: 'x' }],
    ['no request', page, undefined],
    ['a title that is not text', page, { title: 42 }],
    ['a huge start folder', page, { title: 'x', start: 'a'.repeat(5000) }],
  ])('opens nothing for %s', async (_what, url, request) => {
    const { invoke, shown } = picker('/x');
    expect(await invoke(url, request)).toBeNull();
    expect(shown).toEqual([]);
  });
});
