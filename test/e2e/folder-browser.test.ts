/**
 * Files the way a desktop app does them, in browser mode: a folder browser served by the engine
 * picks the project folder and the folder to import, with no typed path; a folder that is not
 * there gets a plain message. Debian's Chromium, screenshots per step.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudioPage, type StudioPage } from '../helpers/browser';
import { writeTestImage } from '../helpers/images';

let studio: StudioPage;
let page: Page;
const shot = (name: string) => studio.shot(name);
/** The open one: the project bar and the import bar each have theirs. */
const browser = () => page.locator('dialog[open][data-testid="folder-browser"]');

async function goTo(folder: string): Promise<void> {
  // Type once the dialog shows its first listing, as a person would: a path typed while that
  // listing is still on its way raced its answer (CI once read the home folder in the field).
  await expect.poll(() => browser().getByTestId('folder-entries').count()).toBe(1);
  await browser().getByLabel('Folder path').fill(folder);
  await browser().getByLabel('Folder path').press('Enter');
  await expect.poll(() => browser().getByLabel('Folder path').inputValue()).toBe(folder);
  // The typed path shows at once; the listing follows (CI read the entries before it came).
  await expect.poll(() => browser().getByTestId('folder-entries').getAttribute('aria-label')).toBe(`Contents of ${folder}`);
}

/** Opens the listed folder `name` of `parent` and waits for its listing. */
async function enter(parent: string, name: string): Promise<void> {
  await browser().getByTestId('folder-entry').filter({ hasText: name }).click();
  await expect.poll(() => browser().getByTestId('folder-entries').getAttribute('aria-label')).toBe(`Contents of ${path.join(parent, name)}`);
}

beforeAll(async () => {
  studio = await openStudioPage('folder-browser', {
    prepare: async (dir) => {
      await writeTestImage(path.join(dir, 'shoot', 'one.png'), { width: 120, height: 90, seed: 1 });
      await writeTestImage(path.join(dir, 'shoot', 'two.jpg'), { width: 120, height: 90, seed: 2, format: 'jpeg' });
      await fs.writeFile(path.join(dir, 'shoot', 'two.xmp'), '<x/>');
      await fs.mkdir(path.join(dir, 'projects'));
      await fs.mkdir(path.join(dir, 'exports'));
    },
  });
  page = studio.page;
});

afterAll(async () => {
  await studio?.close();
});

describe('the folder browser', () => {
  it('picks the project folder by browsing, and focus returns to Browse…', async () => {
    await page.goto(studio.server.url);
    await page.getByRole('form', { name: 'Project' }).getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => browser().count()).toBe(1);
    await goTo(studio.root);
    const folders = await browser().getByTestId('folder-entry').allTextContents();
    expect(folders.map((f) => f.replace('📁', '').trim())).toEqual(expect.arrayContaining(['projects', 'shoot']));
    await enter(studio.root, 'shoot');
    await expect.poll(() => browser().getByTestId('folder-summary').textContent()).toMatch(/2 photos, 0 folders/);
    expect(await browser().getByTestId('file-entry').allTextContents()).toHaveLength(3);
    await shot('01-browsing-shoot');
    await browser().getByRole('button', { name: '↑ Up' }).click();
    await expect.poll(() => browser().getByLabel('Folder path').inputValue()).toBe(studio.root);
    await enter(studio.root, 'projects');
    await browser().getByRole('button', { name: 'Use this folder' }).click();
    await expect.poll(() => browser().count()).toBe(0);
    expect(await page.getByLabel('Project folder').inputValue()).toBe(path.join(studio.root, 'projects'));
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Browse…');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toMatch(/projects · 0 images/);
    await shot('02-project-created');
  });

  it('says plainly when a typed folder is not there', async () => {
    await page.getByRole('form', { name: 'Import' }).getByRole('button', { name: 'Browse…' }).click();
    await browser().getByLabel('Folder path').fill(path.join(studio.root, 'no-such-folder'));
    await browser().getByLabel('Folder path').press('Enter');
    await expect.poll(() => browser().getByTestId('folder-error-message').textContent()).toContain('There is no folder at');
    expect(await browser().getByTestId('folder-error-message').textContent()).not.toMatch(/NOT_FOUND|ENOENT/);
    await shot('03-no-such-folder');
  });

  it('imports the folder it is showing', async () => {
    await goTo(path.join(studio.root, 'shoot'));
    await browser().getByRole('button', { name: 'Import this folder' }).click();
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 30_000 }).toBe(2);
    await shot('04-imported');
  });

  it('picks the export folder from the export dialog, and returns to it', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const exportDialog = page.getByTestId('export-dialog');
    await exportDialog.getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => browser().count()).toBe(1);
    await goTo(studio.root);
    await enter(studio.root, 'exports');
    await shot('05-export-folder');
    await browser().getByRole('button', { name: 'Export here' }).click();
    await expect.poll(() => browser().count()).toBe(0);
    expect(await exportDialog.getByLabel('Output folder').inputValue()).toBe(path.join(studio.root, 'exports'));
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Browse…');
    await page.keyboard.press('Escape');
    await expect.poll(() => exportDialog.isVisible()).toBe(false);
  });

  it('shows no console warnings or errors', () => {
    expect(studio.consoleProblems).toEqual([]);
  });
});
