/**
 * Zoom and pan in the trimap editor and the compare view, in Debian's Chromium over browser mode:
 * the wheel zooms at the pointer, `1` is 100 %, `+`/`-` step, `0` fits, and the view keeps what
 * was asked for (it used to snap back to fit at once). Every check reads the screen: the photo's
 * on-screen size, the zoom readout, the checkerboard's pixels.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openFirstPhotoInEditor, openStudioPage, type StudioPage } from '../helpers/browser';

const SIDE = 1024;
let studio: StudioPage;
let page: Page;
const shot = (name: string) => studio.shot(name);

/** Screen pixels per photo pixel, as the photo is drawn (its bounding box over its width). */
async function shownScale(img: Locator): Promise<number> {
  const box = (await img.boundingBox())!;
  return box.width / SIDE;
}

async function readout(): Promise<number> {
  return Number((await page.getByTestId('zoom-readout').textContent())!.replace('%', ''));
}

/** The photo pixel under a screen point, from the photo's bounding box. */
async function photoPointAt(img: Locator, x: number, y: number): Promise<[number, number]> {
  const box = (await img.boundingBox())!;
  return [((x - box.x) / box.width) * SIDE, ((y - box.y) / box.height) * SIDE];
}

/** Lengths of the runs of equal grey along one screen row of the page, inside [x0, x1). */
async function checkerRuns(x0: number, x1: number, y: number): Promise<number[]> {
  const png = await page.screenshot({ clip: { x: x0, y, width: x1 - x0, height: 1 } });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const runs: number[] = [];
  let run = 1;
  for (let x = 1; x < info.width; x++) {
    const same = Math.abs(data[x * info.channels] - data[(x - 1) * info.channels]) < 20;
    if (same) run++;
    else {
      runs.push(run);
      run = 1;
    }
  }
  // The first and last runs are cut by the strip's ends.
  return runs.slice(1);
}

beforeAll(async () => {
  studio = await openStudioPage('editor-zoom', {
    viewport: { width: 1280, height: 800 },
    prepare: async (dir) => {
      await fs.mkdir(path.join(dir, 'photos'), { recursive: true });
      await sharp('test/fixtures/astronaut-256.png').resize(SIDE, SIDE).png().toFile(path.join(dir, 'photos', 'astronaut.png'));
    },
  });
  page = studio.page;
});

afterAll(async () => {
  await studio?.close();
});

describe('zoom and pan', () => {
  it('opens a photo larger than the window, fitted', async () => {
    await openFirstPhotoInEditor(studio);
    const img = page.getByTestId('trimap-canvas').locator('img');
    await expect.poll(() => shownScale(img)).toBeLessThan(0.9);
    const fit = await shownScale(img);
    expect(await readout()).toBe(Math.round(fit * 100));
    await shot('01-fit');
  });

  it('`1` shows 100 % and keeps it', async () => {
    const img = page.getByTestId('trimap-canvas').locator('img');
    await page.keyboard.press('1');
    await expect.poll(() => readout()).toBe(100);
    expect(await shownScale(img)).toBeCloseTo(1, 2);
    await page.waitForTimeout(1000);
    expect(await readout()).toBe(100);
    expect(await shownScale(img)).toBeCloseTo(1, 2);
    await shot('02-100-percent');
  });

  it('the wheel zooms at the pointer and the zoom stays', async () => {
    const img = page.getByTestId('trimap-canvas').locator('img');
    const canvasBox = (await page.getByTestId('trimap-canvas').boundingBox())!;
    const pointer = { x: canvasBox.x + canvasBox.width * 0.3, y: canvasBox.y + canvasBox.height * 0.4 };
    await page.mouse.move(pointer.x, pointer.y);
    const before = await photoPointAt(img, pointer.x, pointer.y);
    await page.mouse.wheel(0, -400);
    await expect.poll(() => readout()).toBeGreaterThan(150);
    await page.waitForTimeout(1000);
    const zoomed = await shownScale(img);
    expect(zoomed).toBeGreaterThan(1.5);
    expect(await readout()).toBe(Math.round(zoomed * 100));
    // The photo pixel under the pointer did not move.
    const after = await photoPointAt(img, pointer.x, pointer.y);
    expect(Math.abs(after[0] - before[0])).toBeLessThan(1);
    expect(Math.abs(after[1] - before[1])).toBeLessThan(1);
    await shot('03-wheel-zoomed');
  });

  it('a stroke painted while zoomed leaves the zoom alone', async () => {
    const zoom = await readout();
    const canvasBox = (await page.getByTestId('trimap-canvas').boundingBox())!;
    await page.keyboard.press('b');
    await page.mouse.move(canvasBox.x + 200, canvasBox.y + 200);
    await page.mouse.down();
    await page.mouse.move(canvasBox.x + 300, canvasBox.y + 220, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 1 of 1');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
    await page.waitForTimeout(500);
    expect(await readout()).toBe(zoom);
  });

  it('`+` and `-` step along the ladder, `0` fits again', async () => {
    const img = page.getByTestId('trimap-canvas').locator('img');
    await page.keyboard.press('1');
    await expect.poll(() => readout()).toBe(100);
    await page.keyboard.press('+');
    await expect.poll(() => readout()).toBe(200);
    expect(await shownScale(img)).toBeCloseTo(2, 2);
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await expect.poll(() => readout()).toBe(67);
    await page.keyboard.press('0');
    await expect.poll(() => readout()).toBeLessThan(67);
    await shot('04-fit-again');
  });

  it('the compare view zooms too, every pane together, and the checkerboard keeps its size', async () => {
    await page.keyboard.press('c');
    const original = page.getByTestId('pane-original').locator('img');
    const backdrop = page.getByTestId('backdrop-composite');
    await original.waitFor();
    const fitted = await readout();
    expect(await shownScale(original)).toBeCloseTo(fitted / 100, 2);
    const pane = (await page.getByTestId('pane-composite').boundingBox())!;
    const strip = async () => {
      const box = (await backdrop.boundingBox())!;
      const x0 = Math.max(box.x, pane.x) + 2;
      const x1 = Math.min(box.x + box.width, pane.x + pane.width) - 2;
      const y = Math.max(box.y, pane.y) + 40;
      return checkerRuns(x0, x1, y);
    };
    const fitRuns = await strip();
    expect(fitRuns.length).toBeGreaterThan(4);
    for (const run of fitRuns) expect(run).toBe(16);
    await shot('05-compare-fit');

    await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
    await page.mouse.wheel(0, -600);
    await expect.poll(() => readout()).toBeGreaterThan(fitted * 2);
    await page.waitForTimeout(1000);
    const zoomed = await readout();
    expect(zoomed).toBeGreaterThan(fitted * 2);
    expect(await shownScale(original)).toBeCloseTo(zoomed / 100, 1);
    // The checkerboard is drawn in screen space: 16-pixel squares at every zoom.
    const zoomedRuns = await strip();
    expect(zoomedRuns.length).toBeGreaterThan(4);
    for (const run of zoomedRuns) expect(run).toBe(16);
    await shot('06-compare-zoomed');

    await page.keyboard.press('1');
    await expect.poll(() => readout()).toBe(100);
    await page.waitForTimeout(500);
    expect(await shownScale(original)).toBeCloseTo(1, 2);
    await shot('07-compare-100');
    await page.keyboard.press('c');
    await page.getByTestId('trimap-canvas').waitFor();
  });

  it('shows no console warnings or errors', () => {
    expect(studio.consoleProblems).toEqual([]);
  });
});
