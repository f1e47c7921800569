/**
 * The whole editing job in Debian's Chromium over browser mode: create a project, import a
 * folder, open a photo, see its automatic trimap, paint foreground and background, undo and redo,
 * refine and see the alpha change. A second part kills the server mid-edit and reopens.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudioPage, startBuiltWebServer, type StudioPage } from '../helpers/browser';
import { writeTestImage } from '../helpers/images';

let studio: StudioPage;
let page: Page;
let root: string;
let appData: string;
/** The alpha the compare view showed after refinement (engine-computed), row-major 0..255. */
let shownAlpha: number[] = [];
const shot = (name: string) => studio.shot(name);

/** Counts overlay pixels by label colour (red = background, amber = unknown, clear = foreground). */
function overlayCounts(p: Page) {
  return p.getByTestId('trimap-overlay').evaluate((canvas: HTMLCanvasElement) => {
    const d = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height).data;
    let bg = 0, unknown = 0, fg = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) fg++;
      else if (d[i + 1] > 150) unknown++;
      else bg++;
    }
    return { bg, unknown, fg, width: canvas.width, height: canvas.height };
  });
}

/** Overlay label at a point given in fractions of the photo. */
function overlayAt(p: Page, fx: number, fy: number) {
  return p.getByTestId('trimap-overlay').evaluate((canvas: HTMLCanvasElement, [x, y]) => {
    const d = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(Math.floor(x * canvas.width), Math.floor(y * canvas.height), 1, 1).data;
    return d[3] === 0 ? 'fg' : d[1] > 150 ? 'unknown' : 'bg';
  }, [fx, fy] as const);
}

/** Screen position of a point given in fractions of the photo. */
async function screenAt(p: Page, fx: number, fy: number) {
  const box = (await p.getByTestId('trimap-overlay').boundingBox())!;
  return { x: box.x + fx * box.width, y: box.y + fy * box.height };
}

async function drag(p: Page, from: [number, number], to: [number, number]) {
  const a = await screenAt(p, ...from);
  const b = await screenAt(p, ...to);
  await p.mouse.move(a.x, a.y);
  await p.mouse.down();
  await p.mouse.move(b.x, b.y, { steps: 12 });
  await p.mouse.up();
}

beforeAll(async () => {
  studio = await openStudioPage('editor', {
    viewport: { width: 1400, height: 900 },
    prepare: async (dir) => {
      const photos = path.join(dir, 'photos');
      await fs.mkdir(photos, { recursive: true });
      await sharp('test/fixtures/astronaut-256.png').resize(384, 384).png().toFile(path.join(photos, 'astronaut.png'));
      await writeTestImage(path.join(photos, 'disc.png'), { width: 200, height: 150, seed: 3 });
    },
  });
  ({ page, root } = studio);
  appData = path.join(root, 'app-data');
});

afterAll(async () => {
  await studio?.close();
});

describe('trimap editor', () => {
  it('creates a project and imports a folder', async () => {
    await page.goto(studio.server.url);
    await page.getByLabel('Project folder').fill(path.join(root, 'project'));
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByLabel(/Import folders or files/).fill(path.join(root, 'photos'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 30_000 }).toBe(2);
    await shot('01-library');
  });

  it('opens a photo and shows its automatic trimap from the semantic model', async () => {
    await page.evaluate(() => (window.location.hash = '#/image/1'));
    await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 60_000 }).toBe('edit 0 of 0');
    await expect.poll(async () => (await overlayCounts(page)).width).toBe(384);
    const counts = await overlayCounts(page);
    // The astronaut fills the middle: foreground there, background in the top corners, a band between.
    expect(counts.fg).toBeGreaterThan(0.15 * 384 * 384);
    expect(counts.bg).toBeGreaterThan(0.05 * 384 * 384);
    expect(counts.unknown).toBeGreaterThan(0);
    expect(await overlayAt(page, 0.5, 0.45)).toBe('fg');
    expect(await overlayAt(page, 0.03, 0.03)).toBe('bg');
    await expect.poll(() => page.getByTestId('image-status').textContent()).toBe('auto');
    await shot('02-auto-trimap');
  });

  it('paints a foreground and a background stroke, saved as edits', async () => {
    await page.getByRole('checkbox', { name: 'Auto' }).uncheck();
    await page.getByLabel('Size').fill('12');
    // Shortcuts stay live while a slider has focus.
    await page.keyboard.press('b');
    await drag(page, [0.42, 0.4], [0.58, 0.4]);
    expect(await overlayAt(page, 0.5, 0.4)).toBe('bg');
    await page.keyboard.press('f');
    await drag(page, [0.05, 0.05], [0.2, 0.05]);
    expect(await overlayAt(page, 0.12, 0.05)).toBe('fg');
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 2 of 2');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
    await expect.poll(() => page.getByTestId('image-status').textContent()).toBe('edited');
    await shot('03-painted');
  });

  it('undoes and redoes with the keyboard', async () => {
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 1 of 2');
    await expect.poll(() => overlayAt(page, 0.12, 0.05)).toBe('bg');
    expect(await overlayAt(page, 0.5, 0.4)).toBe('bg');
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 2 of 2');
    await expect.poll(() => overlayAt(page, 0.12, 0.05)).toBe('fg');
  });

  it('refines, and the alpha follows the painted trimap', async () => {
    await page.getByTestId('refine').click();
    await expect.poll(() => page.getByTestId('refine-state').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('image-status').textContent()).toBe('refined');
    await page.keyboard.press('c');
    const alphaAt = (fx: number, fy: number) =>
      page.getByTestId('alpha-canvas').evaluate((c: HTMLCanvasElement, [x, y]) => {
        if (!c.width) return -1;
        return c.getContext('2d', { willReadFrequently: true })!.getImageData(Math.floor(x * c.width), Math.floor(y * c.height), 1, 1).data[0];
      }, [fx, fy] as const);
    await expect.poll(() => alphaAt(0.12, 0.05), { timeout: 30_000 }).toBe(255);
    shownAlpha = await page.getByTestId('alpha-canvas').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, c.width, c.height).data;
      return Array.from({ length: d.length / 4 }, (_, i) => d[i * 4]);
    });
    expect(await alphaAt(0.5, 0.4)).toBe(0);
    expect(await alphaAt(0.5, 0.6)).toBe(255);
    await shot('04-compare');
    await page.getByLabel('Layout').selectOption('split');
    await page.getByLabel('Background').selectOption('colour');
    await shot('05-split');
    await page.keyboard.press('c');
  });

  it('exports the folder, and the PNG on disk carries the alpha the studio showed', async () => {
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('image-tile').count()).toBe(2);
    const out = path.join(root, 'export');
    await fs.mkdir(out);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByLabel('All images').check();
    await dialog.getByLabel('Output folder').fill(out);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => dialog.getByTestId('export-summary').textContent(), { timeout: 120_000 }).toMatch(/Exported all 2 images/);
    await shot('06-exported');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const png = await sharp(path.join(out, 'astronaut.png')).raw().toBuffer({ resolveWithObject: true });
    expect(png.info).toMatchObject({ width: 384, height: 384, channels: 4 });
    let maxDiff = 0;
    for (let i = 0; i < shownAlpha.length; i++) maxDiff = Math.max(maxDiff, Math.abs(png.data[i * 4 + 3] - shownAlpha[i]));
    expect(shownAlpha.length).toBe(384 * 384);
    expect(maxDiff).toBe(0);
    expect((await sharp(path.join(out, 'disc.png')).metadata()).channels).toBe(4);
  });

  it('keeps every saved stroke when the server is killed mid-edit', async () => {
    await page.evaluate(() => (window.location.hash = '#/image/1'));
    await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 60_000 }).toBe('edit 2 of 2');
    await page.keyboard.press('u');
    await drag(page, [0.3, 0.8], [0.7, 0.8]);
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 3 of 3');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
    await studio.server.stop('SIGKILL');
    studio.server = await startBuiltWebServer(appData);
    await page.goto(studio.server.url);
    await page.getByLabel('Project folder').fill(path.join(root, 'project'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('image-tile').count()).toBe(2);
    await page.evaluate(() => (window.location.hash = '#/image/1'));
    await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 60_000 }).toBe('edit 3 of 3');
    await expect.poll(() => overlayAt(page, 0.5, 0.8)).toBe('unknown');
    expect(await overlayAt(page, 0.12, 0.05)).toBe('fg');
    expect(await overlayAt(page, 0.5, 0.4)).toBe('bg');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 2 of 3');
    await shot('07-after-restart');
  });
});
