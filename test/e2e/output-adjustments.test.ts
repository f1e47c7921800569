/**
 * Output adjustments, in Debian's Chromium over browser mode: the editor's Output panel changes
 * the result on screen, the values are stored per image, and export applies them. Each exported
 * PNG is read back: feather widens the soft band, shift edge moves the edge out, decontamination
 * amount 0 leaves the photo's colours untouched.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openFirstPhotoInEditor, openStudioPage, type StudioPage } from '../helpers/browser';

let studio: StudioPage;
let page: Page;
const shot = (name: string) => studio.shot(name);
let original: Buffer;

interface Exported {
  alpha: number[];
  rgb: Buffer;
}
let baseline: Exported;

const softCount = (alpha: number[]) => alpha.filter((v) => v > 0 && v < 255).length;
const opaqueHalf = (alpha: number[]) => alpha.filter((v) => v >= 128).length;

async function exportTo(name: string): Promise<Exported> {
  const out = path.join(studio.root, name);
  await fs.mkdir(out);
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('image-tile').count()).toBe(1);
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByLabel('All images').check();
  await dialog.getByLabel('Output folder').fill(out);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect.poll(() => dialog.getByTestId('export-summary').textContent(), { timeout: 120_000 }).toMatch(/Exported/);
  await dialog.getByRole('button', { name: 'Done' }).click();
  const png = await sharp(path.join(out, 'astronaut.png')).raw().toBuffer({ resolveWithObject: true });
  expect(png.info.channels).toBe(4);
  const n = png.info.width * png.info.height;
  const rgb = Buffer.alloc(n * 3);
  const alpha: number[] = [];
  for (let i = 0; i < n; i++) {
    rgb[i * 3] = png.data[i * 4];
    rgb[i * 3 + 1] = png.data[i * 4 + 1];
    rgb[i * 3 + 2] = png.data[i * 4 + 2];
    alpha.push(png.data[i * 4 + 3]);
  }
  await page.getByTestId('image-tile').dblclick();
  await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 60_000 }).toMatch(/^edit/);
  return { alpha, rgb };
}

async function setAdjustment(key: string, value: number): Promise<void> {
  await page.getByTestId(`adjust-${key}`).fill(String(value));
  await expect.poll(() => page.getByTestId(`adjust-${key}-value`).textContent()).toMatch(new RegExp(`^${value}`));
  // Stored when the slider rests.
  await page.waitForTimeout(400);
  await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
}

/** The shown alpha (the alpha view's canvas), row-major. */
function shownAlpha(): Promise<number[]> {
  return page.getByTestId('alpha-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, c.width, c.height).data;
    return Array.from({ length: d.length / 4 }, (_, i) => d[i * 4]);
  });
}

beforeAll(async () => {
  studio = await openStudioPage('output-adjustments', {
    viewport: { width: 1400, height: 900 },
    prepare: async (dir) => {
      await fs.mkdir(path.join(dir, 'photos'), { recursive: true });
      await sharp('test/fixtures/astronaut-256.png').resize(384, 384).png().toFile(path.join(dir, 'photos', 'astronaut.png'));
    },
  });
  page = studio.page;
  original = await sharp(path.join(studio.root, 'photos', 'astronaut.png')).removeAlpha().raw().toBuffer();
});

afterAll(async () => {
  await studio?.close();
});

describe('output adjustments', () => {
  it('refines a photo and exports it unadjusted', async () => {
    await openFirstPhotoInEditor(studio);
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('refine-state').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    baseline = await exportTo('out-neutral');
    expect(softCount(baseline.alpha)).toBeGreaterThan(100);
  });

  it('feather widens the soft band on screen and in the exported PNG', async () => {
    await page.getByTestId('view-mode').selectOption('alpha');
    await expect.poll(async () => (await shownAlpha()).length).toBe(384 * 384);
    const before = softCount(await shownAlpha());
    await setAdjustment('feather', 6);
    await expect.poll(async () => softCount(await shownAlpha())).toBeGreaterThan(before * 1.5);
    await shot('01-feather-on-screen');
    const feathered = await exportTo('out-feather');
    expect(softCount(feathered.alpha)).toBeGreaterThan(softCount(baseline.alpha) * 1.5);
  });

  it('shift edge moves the edge outwards in the exported PNG', async () => {
    await setAdjustment('feather', 0);
    await setAdjustment('shiftEdge', 30);
    await shot('02-shift-edge');
    const shifted = await exportTo('out-shift');
    expect(opaqueHalf(shifted.alpha)).toBeGreaterThan(opaqueHalf(baseline.alpha));
    // Nothing was opaque that is now less so.
    expect(shifted.alpha.every((v, i) => v >= baseline.alpha[i])).toBe(true);
  });

  it('decontamination amount 0 leaves the colours of the photo untouched', async () => {
    await setAdjustment('shiftEdge', 0);
    await setAdjustment('decontaminate', 0);
    const plain = await exportTo('out-decon-0');
    let changedBefore = 0;
    for (let i = 0; i < plain.alpha.length; i++) {
      if (plain.alpha[i] === 0) continue;
      for (let c = 0; c < 3; c++) expect(plain.rgb[i * 3 + c]).toBe(original[i * 3 + c]);
      if (baseline.rgb.compare(original, i * 3, i * 3 + 3, i * 3, i * 3 + 3) !== 0) changedBefore++;
    }
    // At 100 % (the baseline) decontamination did change edge colours.
    expect(changedBefore).toBeGreaterThan(0);
  });

  it('keeps the adjustments with the image across a reload', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('adjust-decontaminate-value').textContent(), { timeout: 60_000 }).toBe('0%');
    expect(await page.getByTestId('adjust-feather-value').textContent()).toBe('0px');
    await shot('03-after-reload');
  });

  it('shows no console warnings or errors', () => {
    expect(studio.consoleProblems).toEqual([]);
  });
});
