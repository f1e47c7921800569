/**
 * The view modes of Photoshop's Select and Mask in the editor, in Debian's Chromium over browser
 * mode: each mode is chosen, then the screen's pixels are read at a point the refined alpha keeps
 * (foreground) and one it drops (background), and compared with what the mode must show there.
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
/** Points of the photo (fractions of its size) where the alpha is 0 and 255, found once the result exists. */
let bgPoint: Fraction;
let fgPoint: Fraction;
type Fraction = { fx: number; fy: number };
let originalBg: Rgb;
let originalFg: Rgb;

/** The colour on screen around a point of the photo (3×3 mean), wherever the photo is drawn now. */
async function screenColour(at: Fraction): Promise<Rgb> {
  const box = (await page.getByTestId('trimap-canvas').locator('img').first().boundingBox())!;
  const point = { x: box.x + at.fx * box.width, y: box.y + at.fy * box.height };
  const png = await page.screenshot({ clip: { x: Math.round(point.x) - 1, y: Math.round(point.y) - 1, width: 3, height: 3 } });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const sum = [0, 0, 0];
  for (let i = 0; i < 9; i++) for (let c = 0; c < 3; c++) sum[c] += data[i * info.channels + c];
  return sum.map((v) => Math.round(v / 9)) as Rgb;
}

function near(actual: Rgb, expected: Rgb, tolerance = 12): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance);
}

async function setView(label: string): Promise<void> {
  await page.getByTestId('view-mode').selectOption({ label });
  // Two frames: the mode's layers are drawn.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

beforeAll(async () => {
  studio = await openStudioPage('view-modes', {
    viewport: { width: 1400, height: 900 },
    prepare: async (dir) => {
      await fs.mkdir(path.join(dir, 'photos'), { recursive: true });
      await sharp('test/fixtures/astronaut-256.png').resize(384, 384).png().toFile(path.join(dir, 'photos', 'astronaut.png'));
      await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 20, g: 200, b: 40 } } }).png().toFile(path.join(dir, 'green.png'));
    },
  });
  page = studio.page;
});

afterAll(async () => {
  await studio?.close();
});

describe('view modes', () => {
  it('refines a photo, then finds a kept and a dropped point on screen', async () => {
    await openFirstPhotoInEditor(studio);
    // Before a full refinement a result mode shows the live preview; then the refinement replaces it.
    await setView('On black');
    await expect.poll(() => page.getByTestId('result-canvas').getAttribute('data-source')).toBe('live');
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('refine-state').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('result-canvas').getAttribute('data-source')).toBe('refined');

    // In the alpha view the screen is the matte: pick points that are 0 and 255 there, and whose
    // original colour is neither black nor white (so every mode's colour tells).
    await setView('Black & white (alpha)');
    await expect.poll(() => page.getByTestId('alpha-canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBe(384);
    const candidates: Fraction[] = [];
    for (let fy = 0.05; fy < 0.97; fy += 0.1) for (let fx = 0.05; fx < 0.97; fx += 0.1) candidates.push({ fx, fy });
    const alphaAt = new Map<Fraction, number>();
    for (const p of candidates) alphaAt.set(p, (await screenColour(p))[0]);
    await page.keyboard.down('p');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const mid = (c: Rgb) => Math.max(...c) < 215 && Math.max(...c) > 50;
    for (const p of candidates) {
      const a = alphaAt.get(p)!;
      const original = await screenColour(p);
      if (!bgPoint && a <= 2 && mid(original)) [bgPoint, originalBg] = [p, original];
      if (!fgPoint && a >= 253 && mid(original)) [fgPoint, originalFg] = [p, original];
    }
    await page.keyboard.up('p');
    expect(bgPoint).toBeDefined();
    expect(fgPoint).toBeDefined();
    expect(await screenColour(bgPoint)).toEqual([0, 0, 0]);
    expect(await screenColour(fgPoint)).toEqual([255, 255, 255]);
    await shot('01-alpha');
  });

  it('holding P shows the original, releasing it returns to the mode', async () => {
    await page.keyboard.down('p');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(near(await screenColour(bgPoint), originalBg, 3)).toBe(true);
    await shot('02-original-held');
    await page.keyboard.up('p');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await screenColour(bgPoint)).toEqual([0, 0, 0]);
  });

  it('on black, on white and on a colour: the background is that colour, the subject stays', async () => {
    for (const [label, colour] of [
      ['On black', [0, 0, 0]],
      ['On white', [255, 255, 255]],
      ['On a colour', [58, 123, 213]],
    ] as [string, Rgb][]) {
      await setView(label);
      expect(near(await screenColour(bgPoint), colour), label).toBe(true);
      expect(near(await screenColour(fgPoint), originalFg, 20), label).toBe(true);
      await shot(`03-${label.toLowerCase().replaceAll(' ', '-')}`);
    }
  });

  it('on an image: the chosen picture shows behind the subject', async () => {
    await setView('On an image');
    await page.getByLabel('Background image').setInputFiles(path.join(studio.root, 'green.png'));
    await expect.poll(async () => near(await screenColour(bgPoint), [20, 200, 40])).toBe(true);
    expect(near(await screenColour(fgPoint), originalFg, 20)).toBe(true);
    await shot('04-on-image');
  });

  it('overlay tints what is left out and leaves the subject as it is', async () => {
    await setView('Overlay (tinted background)');
    const tinted = await screenColour(bgPoint);
    // 60 % of red (229, 40, 40) over the original.
    const expected = originalBg.map((v, i) => Math.round(0.6 * [229, 40, 40][i] + 0.4 * v)) as Rgb;
    expect(near(tinted, expected, 6)).toBe(true);
    expect(near(await screenColour(fgPoint), originalFg, 3)).toBe(true);
    await shot('05-overlay');
  });

  it('onion skin shows the original through the transparent part as far as its slider says', async () => {
    await setView('Onion skin');
    const slider = page.getByLabel('Onion skin');
    await slider.fill('0');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const none = await screenColour(bgPoint);
    // The checkerboard: white or light grey squares.
    expect(near(none, [255, 255, 255], 2) || near(none, [204, 204, 204], 2)).toBe(true);
    await slider.fill('1');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(near(await screenColour(bgPoint), originalBg, 3)).toBe(true);
    await slider.fill('0.5');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const half = await screenColour(bgPoint);
    expect(near(half, originalBg.map((v, i) => Math.round((v + none[i]) / 2)) as Rgb, 6)).toBe(true);
    expect(near(await screenColour(fgPoint), originalFg, 20)).toBe(true);
    await shot('06-onion-half');
  });

  it('the trimap overlay mode shows the trimap again', async () => {
    await setView('Trimap overlay');
    const red = await screenColour(bgPoint);
    // The background label's red over the photo.
    expect(red[0]).toBeGreaterThan(red[1] + 40);
    expect(near(await screenColour(fgPoint), originalFg, 3)).toBe(true);
    await shot('07-trimap');
  });

  it('V cycles through every mode, including side by side and split', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('v');
      seen.push(await page.getByTestId('view-mode').inputValue());
      if (seen.at(-1) === 'side') {
        await expect.poll(() => page.locator('[data-testid^="pane-"]').count()).toBe(3);
        await shot('08-side-by-side');
      }
      if (seen.at(-1) === 'split') {
        await expect.poll(() => page.getByTestId('pane-split').count()).toBe(1);
        await shot('09-split');
      }
    }
    expect(seen).toEqual(['overlay', 'black', 'white', 'colour', 'image', 'alpha', 'onion', 'side', 'split', 'trimap']);
    await page.keyboard.press('Shift+V');
    expect(await page.getByTestId('view-mode').inputValue()).toBe('split');
  });

  it('shows no console warnings or errors', () => {
    expect(studio.consoleProblems).toEqual([]);
  });
});
