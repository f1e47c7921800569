/**
 * A lost engine connection in browser mode, in Debian's Chromium: the server is killed while a
 * photo is being edited; the page says so in a banner, a stroke painted meanwhile shows as "not
 * saved yet" (never "All changes saved"), and when the server is back on the same address the
 * page reconnects by itself, reopens the project, saves the stroke and drops the banner.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { engineClient, openFirstPhotoInEditor, openStudioPage, startBuiltWebServer, type StudioPage } from '../helpers/browser';
import { writeTestImage } from '../helpers/images';

const port = String(20_000 + Math.floor(Math.random() * 20_000));
const token = `e2e-connection-${Math.random().toString(36).slice(2)}`;
const env = { SHM_PORT: port, SHM_TOKEN: token };
let studio: StudioPage;
let page: Page;
const consoleProblems: string[] = [];
/** While the server is down the browser itself logs failed socket and image requests: expected there, nowhere else. */
let serverDown = false;
const shot = (name: string) => studio.shot(name);

async function stroke(p: Page, fy: number): Promise<void> {
  const box = (await p.getByTestId('trimap-overlay').boundingBox())!;
  await p.mouse.move(box.x + box.width * 0.3, box.y + box.height * fy);
  await p.mouse.down();
  await p.mouse.move(box.x + box.width * 0.7, box.y + box.height * fy, { steps: 8 });
  await p.mouse.up();
}

beforeAll(async () => {
  studio = await openStudioPage('connection', {
    env: () => env,
    prepare: async (dir) => {
      await writeTestImage(path.join(dir, 'photos', 'a.png'), { width: 200, height: 150, seed: 2 });
    },
  });
  page = studio.page;
  page.on('console', (m) => {
    if (m.type() !== 'warning' && m.type() !== 'error') return;
    if (serverDown && /WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text())) return;
    consoleProblems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
});

afterAll(async () => {
  await studio?.close();
});

describe('a lost engine connection', () => {
  it('edits a photo with the server up', async () => {
    await openFirstPhotoInEditor(studio);
    await page.keyboard.press('b');
    await stroke(page, 0.3);
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 1 of 1');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
    expect(await page.getByTestId('connection-banner').count()).toBe(0);
  });

  it('shows a banner when the server goes, and a stroke painted then is not called saved', async () => {
    serverDown = true;
    await studio.server.stop('SIGKILL');
    await expect.poll(() => page.getByTestId('connection-banner').count()).toBe(1);
    expect(await page.getByTestId('connection-banner').textContent()).toMatch(/Reconnecting/);
    await stroke(page, 0.6);
    await expect.poll(() => page.getByTestId('save-state').textContent()).toMatch(/1 change not saved yet/);
    await page.waitForTimeout(1000);
    expect(await page.getByTestId('save-state').textContent()).not.toMatch(/saved$/);
    await shot('01-offline');
  });

  it('reconnects by itself when the server is back, and saves the waiting stroke', async () => {
    studio.server = await startBuiltWebServer(path.join(studio.root, 'app-data'), env);
    await expect.poll(() => page.getByTestId('connection-banner').count(), { timeout: 15_000 }).toBe(0);
    serverDown = false;
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toBe('All changes saved');
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 2 of 2');
    await shot('02-reconnected');
    // The engine has it: another client reads the same history.
    const client = await engineClient(studio.server);
    try {
      const detail = (await client.call('image.open', { imageId: 1 })) as { trimap: { version: number; latest: number } };
      expect(detail.trimap).toMatchObject({ version: 2, latest: 2 });
    } finally {
      client.close();
    }
  });

  it('shows no console warnings or errors beyond the refused connections', () => {
    expect(consoleProblems).toEqual([]);
  });
});
