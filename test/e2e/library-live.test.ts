/**
 * The library stays live after visits to the editor, in Debian's Chromium over browser mode:
 * badges, filter counts and tiles follow edits and imports without a reload, and the console
 * stays free of warnings (it used to fill with Svelte's `derived_inert` after each return).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudioPage, type StudioPage } from '../helpers/browser';
import { writeTestImage } from '../helpers/images';

let studio: StudioPage;
let page: Page;
const shot = (name: string) => studio.shot(name);

const chipCount = async (status: string) => Number(await page.getByTestId(`filter-${status}`).locator('.count').textContent());
const tileStatus = (name: string) => page.getByTestId('image-tile').filter({ hasText: name }).getByTestId('status-badge').textContent();

async function paintInEditor(name: string): Promise<void> {
  await page.getByTestId('image-tile').filter({ hasText: name }).dblclick();
  await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 60_000 }).toMatch(/^edit \d+ of \d+$/);
  await page.getByRole('checkbox', { name: 'Auto' }).uncheck();
  const box = (await page.getByTestId('trimap-overlay').boundingBox())!;
  const before = await page.getByTestId('trimap-version').textContent();
  await page.keyboard.press('b');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => page.getByTestId('trimap-version').textContent()).not.toBe(before);
  await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
  await expect.poll(() => page.getByTestId('image-status').textContent()).toBe('edited');
}

beforeAll(async () => {
  studio = await openStudioPage('library-live', {
    prepare: async (dir) => {
      for (let i = 1; i <= 3; i++) await writeTestImage(path.join(dir, 'first', `a${i}.png`), { width: 160, height: 120, seed: i });
      for (let i = 1; i <= 2; i++) await writeTestImage(path.join(dir, 'second', `b${i}.png`), { width: 160, height: 120, seed: 10 + i });
    },
  });
  page = studio.page;
});

afterAll(async () => {
  await studio?.close();
});

describe('a live library', () => {
  it('imports a first folder', async () => {
    await page.goto(studio.server.url);
    await page.getByLabel('Project folder').fill(path.join(studio.root, 'project'));
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByLabel(/Import folders or files/).fill(path.join(studio.root, 'first'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => chipCount('new')).toBe(3);
    await shot('01-imported');
  });

  it('after editing a photo, its badge and the counts change without a reload', async () => {
    await paintInEditor('a1.png');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('image-tile').count()).toBe(3);
    await expect.poll(() => tileStatus('a1.png')).toBe('Edited');
    expect(await chipCount('edited')).toBe(1);
    expect(await chipCount('new')).toBe(2);
    await shot('02-back-from-editor');
  });

  it('a second visit changes them again', async () => {
    await paintInEditor('a2.png');
    await page.keyboard.press('Escape');
    await expect.poll(() => tileStatus('a2.png')).toBe('Edited');
    expect(await chipCount('edited')).toBe(2);
    expect(await chipCount('new')).toBe(1);
    await shot('03-second-visit');
  });

  it('an import after the visits shows every new tile and count', async () => {
    await page.getByLabel(/Import folders or files/).fill(path.join(studio.root, 'second'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 30_000 }).toBe(5);
    await expect.poll(() => page.getByTestId('filter-all').locator('.count').textContent()).toBe('5');
    expect(await chipCount('new')).toBe(3);
    await expect.poll(() => page.getByTestId('project-name').textContent()).toMatch(/· 5 images/);
    await shot('04-second-import');
  });

  it('shows no console warnings or errors', () => {
    expect(studio.consoleProblems).toEqual([]);
  });
});
