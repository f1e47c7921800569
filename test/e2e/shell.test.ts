/**
 * The studio shell in Debian's Chromium over browser mode: the page loads under its CSP, calls
 * the engine through the UI and shows the results; requests without the token are refused.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudioPage, type RunningWebServer, type StudioPage } from '../helpers/browser';
import { writeTestImage } from '../helpers/images';

let studio: StudioPage;
let server: RunningWebServer;
let page: Page;
let root: string;

beforeAll(async () => {
  studio = await openStudioPage('shell');
  ({ server, page, root } = studio);
});

afterAll(async () => {
  await studio?.close();
});

describe('studio shell in browser mode', () => {
  it('refuses the page without the token', async () => {
    const response = await page.goto(server.origin + '/');
    expect(response?.status()).toBe(401);
  });

  it('loads with the token, drops it from the address bar and shows the engine info from app.info in Settings', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Settings…' }).click();
    await expect.poll(() => page.getByTestId('engine-info').textContent()).toMatch(/onnxruntime \d+\.\d+.*cpu/s);
    expect(page.url()).not.toContain('token=');
    await studio.shot('01-loaded');
    await page.keyboard.press('Escape');
    // Engine details live in Settings, not in the window's header.
    expect(await page.locator('header').textContent()).not.toContain('onnxruntime');
  });

  it('creates a project and imports a folder through the UI, showing thumbnails served by URL', async () => {
    const photos = path.join(root, 'photos');
    for (let i = 1; i <= 3; i++) await writeTestImage(path.join(photos, `photo-${i}.png`), { seed: i, width: 96, height: 64 });
    await fs.writeFile(path.join(photos, 'broken.jpg'), 'this is not a jpeg');

    await page.getByLabel('Project folder').fill(path.join(root, 'project'));
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toContain('project · 0 images');

    await page.getByLabel(/Import folders or files/).fill(photos);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('notice-error').first().textContent()).toContain('broken.jpg');

    const thumbs = page.locator('[data-testid=image-tile] img');
    await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
    const src = await thumbs.first().getAttribute('src');
    expect(src).toMatch(/^\/media\/thumb\/\d+$/);
    await studio.shot('02-imported');
  });

  it('shows a typed error for a bad request made through the UI', async () => {
    await page.getByLabel('Project folder').fill(path.join(root, 'no-such-project'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    // The import's summary (an unreadable file) may still be arriving: find the notice about this folder.
    const notice = page.getByTestId('notice-error').filter({ hasText: 'no-such-project' });
    await expect.poll(() => notice.count()).toBeGreaterThan(0);
    const text = await notice.last().textContent();
    expect(text).not.toContain('PROJECT_NOT_FOUND');
  });

  it('ran without console errors or CSP violations', () => {
    expect(studio.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
