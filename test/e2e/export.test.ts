/**
 * The batch export dialog in Debian's Chromium over browser mode: export a selection and find
 * straight-alpha RGBA PNGs on disk; a folder of originals is refused inline beside the folder
 * field; a missing original fails alone and is listed with its reason; a long export is cancelled.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudioPage, type StudioPage } from '../helpers/browser';

const astronaut = path.resolve('test/fixtures/astronaut-256.png');
let studio: StudioPage;
let page: Page;
let root: string;
let photos: string;
const shot = (name: string) => studio.shot(name);
const tiles = () => page.getByTestId('image-tile');
const dialog = () => page.getByTestId('export-dialog');

/** Distinct photos of a person (the astronaut, resized and tinted so the import sees no duplicates). */
async function writePhotos(dir: string, names: string[], size: number): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const [i, name] of names.entries()) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await sharp(astronaut).resize(size, size).modulate({ brightness: 1 + i * 0.01 }).toFile(path.join(dir, name));
  }
}

async function pngsUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith('.png')).map((e) => path.join(dir, e)).sort();
}

async function importFolder(folder: string, expectedTiles: number): Promise<void> {
  await page.getByLabel(/Import folders or files/).fill(folder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(() => tiles().count(), { timeout: 120_000 }).toBe(expectedTiles);
}

async function openExport(): Promise<void> {
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect.poll(() => dialog().isVisible()).toBe(true);
}

beforeAll(async () => {
  studio = await openStudioPage('export', { prepare: (dir) => writePhotos(path.join(dir, 'photos'), ['a.png', 'b.jpg', 'c.png', 'trip/d.jpg'], 320) });
  ({ page, root } = studio);
  photos = path.join(root, 'photos');
  await page.goto(studio.server.url);
});

afterAll(async () => {
  await studio?.close();
});

describe('export dialog', () => {
  it('starts from a project with a folder of portraits', async () => {
    await page.getByLabel('Project folder').fill(path.join(root, 'project'));
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByTestId('empty-no-images').isVisible()).toBe(true);
    await importFolder(photos, 4);
  });

  it('exports the selected images as straight-alpha RGBA PNGs, with alpha mattes', async () => {
    await tiles().nth(0).click();
    await tiles().nth(2).click({ modifiers: ['Control'] });
    const names = await page.locator('[data-testid=image-tile][aria-selected=true] .name').allTextContents();
    expect(names).toEqual(['a.png', 'c.png']);

    await openExport();
    expect(await dialog().getByLabel(/Selected images/).isChecked()).toBe(true);
    const out = path.join(root, 'out-selection');
    await fs.mkdir(out);
    await dialog().getByLabel('Output folder').fill(out);
    await dialog().getByLabel(/Also write alpha mattes/).check();
    expect(await dialog().getByLabel(/Decontaminate/).isChecked()).toBe(true);
    await shot('01-dialog');
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();

    const summary = dialog().getByTestId('export-summary');
    await expect.poll(() => summary.getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    expect(await summary.textContent()).toContain('Exported all 2 images');
    await shot('02-summary');

    const files = await pngsUnder(out);
    expect(files.map((f) => path.relative(out, f))).toEqual(['a.png', 'alpha/a.png', 'alpha/c.png', 'c.png']);
    for (const name of ['a.png', 'c.png']) {
      const meta = await sharp(path.join(out, name)).metadata();
      expect(meta.channels).toBe(4);
      expect([meta.width, meta.height]).toEqual([320, 320]);
      const stats = await sharp(path.join(out, name)).stats();
      const alpha = stats.channels[3];
      expect(alpha.min).toBeLessThan(255); // some background cut away
      expect(alpha.max).toBe(255); // and the person kept
      const matte = await sharp(path.join(out, 'alpha', name)).metadata();
      expect(matte.channels).toBe(1);
      // The matte is the PNG's alpha, value for value.
      const [a, m] = await Promise.all([
        sharp(path.join(out, name)).extractChannel(3).raw().toBuffer(),
        sharp(path.join(out, 'alpha', name)).extractChannel(0).raw().toBuffer(),
      ]);
      expect(m.equals(a)).toBe(true);
    }

    await dialog().getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(false);
    await expect.poll(() => page.locator('[data-testid=image-tile][data-status=exported]').count()).toBe(2);
    await expect.poll(() => page.getByTestId('filter-exported').textContent()).toMatch(/Exported\s*2/);
  });

  it('refuses a folder of originals (and a folder that cannot be made) inline, next to the folder field', async () => {
    await openExport();
    await dialog().getByLabel('All images').check();
    await dialog().getByLabel('Output folder').fill(path.join(photos, 'trip'));
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    const error = dialog().getByTestId('folder-error');
    await expect.poll(() => error.getAttribute('data-code')).toBe('OUTPUT_INSIDE_SOURCE');
    expect(await error.textContent()).not.toContain('OUTPUT_');
    expect(await dialog().getByLabel('Output folder').getAttribute('aria-invalid')).toBe('true');
    await shot('03-inside-originals');

    await fs.writeFile(path.join(root, 'a-file'), 'not a folder');
    await dialog().getByLabel('Output folder').fill(path.join(root, 'a-file', 'under-it'));
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => error.getAttribute('data-code')).toBe('OUTPUT_READ_ONLY');
    expect(await pngsUnder(photos)).toEqual([path.join(photos, 'a.png'), path.join(photos, 'c.png')]);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().isVisible()).toBe(false);
  });

  it('lists an image that failed with its reason, and the library shows it as failed', async () => {
    await fs.rm(path.join(photos, 'trip', 'd.jpg'));
    await openExport();
    await dialog().getByLabel('All images').check();
    const out = path.join(root, 'out-all');
    await fs.mkdir(out);
    await dialog().getByLabel('Output folder').fill(out);
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    const summary = dialog().getByTestId('export-summary');
    await expect.poll(() => summary.getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    expect(await summary.textContent()).toContain('Exported 3 of 4 images; 1 failed');
    const failures = await dialog().getByTestId('export-failures').locator('li').allTextContents();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('trip/d.jpg');
    await shot('04-summary-with-failure');
    // The dialog remembers its options: alpha mattes are still on.
    expect((await pngsUnder(out)).map((f) => path.relative(out, f))).toEqual(['a.png', 'alpha/a.png', 'alpha/b.png', 'alpha/c.png', 'b.png', 'c.png']);

    await dialog().getByRole('button', { name: 'Done' }).click();
    const failed = page.locator('[data-testid=image-tile][data-status=failed]');
    await expect.poll(() => failed.count()).toBe(1);
    const reason = await failed.getByTestId('failure-reason').textContent();
    expect(reason?.length).toBeGreaterThan(5);
    expect(failures[0]).toContain(reason!.trim().slice(0, 20));
    expect(await failed.getByTestId('status-badge').getAttribute('title')).toContain('Failed:');
    await shot('05-library-failed-tile');
  });

  it('cancels a long export: the job stops and says how far it got', async () => {
    const many = path.join(root, 'many');
    await writePhotos(many, Array.from({ length: 24 }, (_, i) => `m-${String(i).padStart(2, '0')}.png`), 640);
    await importFolder(many, 28);
    await page.getByTestId('filter-new').click();
    await expect.poll(() => tiles().count()).toBe(24);
    await page.keyboard.press('Control+A');
    await openExport();
    expect(await dialog().getByLabel(/Selected images/).isChecked()).toBe(true);
    const out = path.join(root, 'out-many');
    await fs.mkdir(out);
    await dialog().getByLabel('Output folder').fill(out);
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();

    const progress = dialog().getByTestId('export-progress');
    await expect.poll(() => progress.isVisible()).toBe(true);
    await expect.poll(() => dialog().getByTestId('export-count').textContent(), { timeout: 120_000 }).toMatch(/^[1-9]\d* of 24$/);
    await shot('06-progress');
    await dialog().getByRole('button', { name: 'Cancel export' }).click();

    const summary = dialog().getByTestId('export-summary');
    await expect.poll(() => summary.getAttribute('data-state'), { timeout: 60_000 }).toBe('cancelled');
    const text = (await summary.textContent()) ?? '';
    const done = Number(/(\d+) of 24 images exported/.exec(text)?.[1]);
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(24);
    await shot('07-cancelled');
    const written = (await pngsUnder(out)).map((f) => path.relative(out, f));
    expect(written.filter((f) => !f.startsWith('alpha/'))).toHaveLength(done);
    await dialog().getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('filter-all').click();
  });

  it('makes a new export folder, and offers the last one again after a reload', async () => {
    const fresh = path.join(root, 'new', 'cut-outs');
    await tiles().nth(0).click();
    await openExport();
    // Within the session the dialog keeps the last folder used.
    expect(await dialog().getByLabel('Output folder').inputValue()).toBe(path.join(root, 'out-many'));
    expect(await dialog().getByLabel(/Selected images/).isChecked()).toBe(true);
    await dialog().getByLabel('Output folder').fill(fresh);
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    const summary = dialog().getByTestId('export-summary');
    await expect.poll(() => summary.getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    expect((await pngsUnder(fresh)).length).toBeGreaterThan(0);
    await dialog().getByRole('button', { name: 'Done' }).click();

    await page.reload();
    await expect.poll(() => tiles().count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await openExport();
    expect(await dialog().getByLabel('Output folder').inputValue()).toBe(fresh);
    await shot('08-remembered-folder');
    await page.keyboard.press('Escape');
  });

  it('ran without console errors or CSP violations', () => {
    expect(studio.consoleErrors).toEqual([]);
  });
});
