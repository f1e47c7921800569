/**
 * The result while painting, in Debian's Chromium over browser mode: in a result view a stroke
 * changes the shown alpha within a second (a guided-refinement preview made in a worker), and
 * when painting pauses the full refinement replaces it. Pixels are read from the screen.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openFirstPhotoInEditor, openStudioPage, type StudioPage } from '../helpers/browser';

type Rgb = [number, number, number];
let studio: StudioPage;
let page: Page;
const shot = (name: string) => studio.shot(name);

async function screenAt(fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('trimap-canvas').locator('img').first().boundingBox())!;
  return { x: box.x + fx * box.width, y: box.y + fy * box.height };
}

async function colourAt(fx: number, fy: number): Promise<Rgb> {
  const p = await screenAt(fx, fy);
  const png = await page.screenshot({ clip: { x: Math.round(p.x), y: Math.round(p.y), width: 1, height: 1 } });
  const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return [data[0], data[1], data[2]];
}

const isBlack = (c: Rgb) => Math.max(...c) <= 6;

/** Paints a horizontal stroke and returns when the mouse is released (performance time of the test process). */
async function stroke(fy: number, from: number, to: number): Promise<number> {
  const a = await screenAt(from, fy);
  const b = await screenAt(to, fy);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 10 });
  await page.mouse.up();
  return performance.now();
}

/** Milliseconds from `since` until `check` holds, polling the screen; Infinity after `limit`. */
async function timeUntil(since: number, check: () => Promise<boolean>, limit = 3000): Promise<number> {
  while (performance.now() - since < limit) {
    if (await check()) return performance.now() - since;
    await page.waitForTimeout(15);
  }
  return Infinity;
}

beforeAll(async () => {
  studio = await openStudioPage('live-preview', {
    viewport: { width: 1400, height: 900 },
    prepare: async (dir) => {
      await fs.mkdir(path.join(dir, 'photos'), { recursive: true });
      await sharp('test/fixtures/astronaut-256.png').resize(384, 384).png().toFile(path.join(dir, 'photos', 'astronaut.png'));
    },
  });
  page = studio.page;
});

afterAll(async () => {
  await studio?.close();
});

describe('the result while painting', () => {
  it('shows a live preview of the alpha in a result view before any refinement', async () => {
    await openFirstPhotoInEditor(studio);
    await page.getByTestId('view-mode').selectOption('black');
    await expect.poll(() => page.getByTestId('result-canvas').getAttribute('data-source')).toBe('live');
    // The subject shows, the backdrop is black.
    await expect.poll(async () => isBlack(await colourAt(0.03, 0.03))).toBe(true);
    expect(isBlack(await colourAt(0.5, 0.6))).toBe(false);
    expect(Number((await page.getByTestId('live-ms').textContent())!.match(/\d+/)![0])).toBeLessThan(1000);
    await shot('01-live-on-black');
  });

  it('a background stroke over the subject shows in the preview within a second', async () => {
    await page.keyboard.press('b');
    await page.getByLabel('Size').fill('10');
    const released = await stroke(0.6, 0.35, 0.65);
    const ms = await timeUntil(released, async () => isBlack(await colourAt(0.5, 0.6)));
    expect(ms).toBeLessThan(1000);
    expect(await page.getByTestId('result-canvas').getAttribute('data-source')).toBe('live');
    await shot('02-stroke-in-preview');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
  });

  it('when painting pauses the full refinement replaces the preview', async () => {
    await page.getByRole('checkbox', { name: 'Auto' }).check();
    await page.keyboard.press('f');
    const released = await stroke(0.08, 0.05, 0.2);
    const ms = await timeUntil(released, async () => !isBlack(await colourAt(0.12, 0.08)));
    expect(ms).toBeLessThan(1000);
    expect(await page.getByTestId('result-canvas').getAttribute('data-source')).toBe('live');
    await expect.poll(() => page.getByTestId('refine-state').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('result-canvas').getAttribute('data-source')).toBe('refined');
    // The refined alpha agrees with the strokes: kept where painted foreground, dropped under the background stroke.
    expect(isBlack(await colourAt(0.12, 0.08))).toBe(false);
    expect(isBlack(await colourAt(0.5, 0.6))).toBe(true);
    await shot('03-refined-replaces-preview');
  });

  it('shows no console warnings or errors', () => {
    expect(studio.consoleProblems).toEqual([]);
  });
});
