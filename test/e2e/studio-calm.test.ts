/**
 * Keyboard and calm messages, in Debian's Chromium over browser mode: recent projects on the
 * first screen, Enter opens a typed project path, one plain import summary (sidecar and system
 * files left out quietly), engine details in Settings with focus returning after the dialog,
 * Tab free for the editor's controls, no notice per refinement, and closing a project asks
 * first while a job runs.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudioPage, type StudioPage } from '../helpers/browser';
import { writeTestImage } from '../helpers/images';

let studio: StudioPage;
let page: Page;
const shot = (name: string) => studio.shot(name);
const project = () => path.join(studio.root, 'project');

/** Error codes and library names a person should never read. */
const JARGON = /[A-Z]{3,}_[A-Z_]+|\bsharp\b|onnxruntime|sqlite|zod/;

beforeAll(async () => {
  studio = await openStudioPage('studio-calm', {
    prepare: async (dir) => {
      const photos = path.join(dir, 'photos');
      await fs.mkdir(photos, { recursive: true });
      await sharp('test/fixtures/astronaut-256.png').png().toFile(path.join(photos, 'astronaut.png'));
      await writeTestImage(path.join(photos, 'disc.jpg'), { width: 160, height: 120, format: 'jpeg' });
      // What travels with photos: editor sidecars, notes, system files; and one broken "photo".
      await fs.writeFile(path.join(photos, 'astronaut.xmp'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta>');
      await fs.writeFile(path.join(photos, 'notes.txt'), 'shoot notes');
      await fs.writeFile(path.join(photos, 'astronaut.json'), '{}');
      await fs.writeFile(path.join(photos, '.DS_Store'), Buffer.alloc(64, 1));
      await fs.writeFile(path.join(photos, 'Thumbs.db'), Buffer.alloc(64, 2));
      await fs.writeFile(path.join(photos, 'broken.png'), 'not really a png');
      // A folder big enough that its import is still running when Close is pressed.
      for (let i = 0; i < 24; i++) await writeTestImage(path.join(dir, 'many', `m${String(i).padStart(2, '0')}.png`), { width: 1600, height: 1200, seed: i });
    },
  });
  page = studio.page;
});

afterAll(async () => {
  await studio?.close();
});

describe('keyboard and calm messages', () => {
  it('lists recent projects on the first screen', async () => {
    await page.goto(studio.server.url);
    await page.getByLabel('Project folder').fill(project());
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByTestId('project-name').count()).toBe(1);
    await page.getByRole('button', { name: 'Close project' }).click();
    await expect.poll(() => page.getByTestId('recent-project').count()).toBe(1);
    expect(await page.getByTestId('recent-project').textContent()).toContain('project');
    await shot('01-recent-projects');
    await page.getByTestId('recent-project').click();
    await expect.poll(() => page.getByTestId('project-name').count()).toBe(1);
    await page.getByRole('button', { name: 'Close project' }).click();
  });

  it('Enter in the project field opens the project', async () => {
    await page.getByLabel('Project folder').fill(project());
    await page.getByLabel('Project folder').press('Enter');
    await expect.poll(() => page.getByTestId('project-name').textContent()).toMatch(/project · 0 images/);
  });

  it('sums up an import in one plain notice, leaving sidecar and system files out quietly', async () => {
    await page.getByLabel(/Import folders or files/).fill(path.join(studio.root, 'photos'));
    await page.getByLabel(/Import folders or files/).press('Enter');
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.locator('[data-testid^="notice-"]').count(), { timeout: 30_000 }).toBe(1);
    const text = (await page.locator('[data-testid^="notice-"]').textContent())!;
    expect(text).toContain('2 photos imported');
    // .xmp, .txt, .json and Thumbs.db (.DS_Store is hidden and never listed).
    expect(text).toContain('4 sidecar or system files left out');
    expect(text).toContain('1 file could not be read as a photo: broken.png');
    expect(text).not.toMatch(JARGON);
    await shot('02-import-summary');
    await page.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('keeps engine details in Settings, and focus returns to the button after the dialog', async () => {
    expect(await page.locator('header').textContent()).not.toMatch(/onnxruntime|cores/);
    const settings = page.getByRole('button', { name: 'Settings…' });
    await settings.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('engine-info').textContent()).toMatch(/onnxruntime \d+/);
    await shot('03-settings-about');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('settings-dialog').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Settings…');
  });

  it('in the editor Tab moves between the controls and C switches to compare', async () => {
    await page.getByTestId('image-tile').first().dblclick();
    await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 60_000 }).toBe('edit 0 of 0');
    await page.getByRole('button', { name: '← Library' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Foreground');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Background');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('radio', { name: 'Background' }).getAttribute('aria-checked')).toBe('true');
    // Still editing: Tab did not switch views.
    expect(await page.getByTestId('trimap-canvas').count()).toBe(1);
    await page.keyboard.press('c');
    await expect.poll(() => page.getByTestId('pane-original').count()).toBe(1);
    await shot('04-compare-on-c');
    await page.keyboard.press('c');
    await expect.poll(() => page.getByTestId('trimap-canvas').count()).toBe(1);
  });

  it('refining shows one progress indicator and no notice per refinement', async () => {
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('r');
      await expect.poll(() => page.getByTestId('refine-state').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    }
    await page.waitForTimeout(500);
    expect(await page.locator('[data-testid^="notice-"]').count()).toBe(0);
    await shot('05-refined-quietly');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('image-tile').count()).toBe(2);
  });

  it('closing a project while a job runs asks first', async () => {
    // Thumbnails answer late, as they do on a busy machine: the ones still on their way when the
    // project closes must be dropped with their tiles, not come back as 404s in the console. (How
    // many tiles are on screen at Close depends on the machine's speed; on a quiet one this failed
    // without the tiles cancelling their loads.)
    await page.route('**/media/thumb/**', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => undefined);
    });
    await page.getByLabel(/Import folders or files/).fill(path.join(studio.root, 'many'));
    await page.getByLabel(/Import folders or files/).press('Enter');
    await expect.poll(() => page.getByTestId('job').count()).toBe(1);
    await page.getByRole('button', { name: 'Close project' }).click();
    const dialog = page.getByTestId('confirm-close');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toMatch(/Import still running/i);
    await shot('06-close-asks');
    await dialog.getByRole('button', { name: 'Keep working' }).click();
    expect(await page.getByTestId('project-name').count()).toBe(1);
    // Focus returns to the button that opened the question.
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Close project');
    await page.getByRole('button', { name: 'Close project' }).click();
    if (await dialog.isVisible()) await dialog.getByRole('button', { name: 'Stop and close' }).click();
    await expect.poll(() => page.getByTestId('empty-no-project').count()).toBe(1);
    await shot('07-closed');
    await page.waitForTimeout(2000);
    await page.unrouteAll({ behavior: 'wait' });
  });

  it('shows no console warnings or errors', () => {
    expect(studio.consoleProblems).toEqual([]);
  });
});
