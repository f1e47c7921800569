/**
 * Subject selection and the band width in the editor, in Debian's Chromium over browser mode: with a second region
 * painted as foreground beside the person, "Keep subject" and a click on the person keep the
 * person and turn the other region into background, as one undoable edit. The overlay's pixels
 * are read back.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openFirstPhotoInEditor, openStudioPage, type StudioPage } from '../helpers/browser';

let studio: StudioPage;
let page: Page;
const consoleProblems: string[] = [];
const shot = (name: string) => studio.shot(name);

function overlayAt(fx: number, fy: number) {
  return page.getByTestId('trimap-overlay').evaluate((canvas: HTMLCanvasElement, [x, y]) => {
    const d = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(Math.floor(x * canvas.width), Math.floor(y * canvas.height), 1, 1).data;
    return d[3] === 0 ? 'fg' : d[1] > 150 ? 'unknown' : 'bg';
  }, [fx, fy] as const);
}

async function screenAt(fx: number, fy: number) {
  const box = (await page.getByTestId('trimap-overlay').boundingBox())!;
  return { x: box.x + fx * box.width, y: box.y + fy * box.height };
}

beforeAll(async () => {
  studio = await openStudioPage('subject', {
    viewport: { width: 1400, height: 900 },
    prepare: async (dir) => {
      await fs.mkdir(path.join(dir, 'photos'), { recursive: true });
      await sharp('test/fixtures/astronaut-256.png').resize(384, 384).png().toFile(path.join(dir, 'photos', 'astronaut.png'));
    },
  });
  page = studio.page;
  page.on('console', (m) => {
    // Chromium's hint about this test's own repeated getImageData on the overlay, not the studio's doing.
    if (m.text().includes('willReadFrequently')) return;
    if (m.type() === 'warning' || m.type() === 'error') consoleProblems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
});

afterAll(async () => {
  await studio?.close();
});

describe('subject selection', () => {
  it('paints a second foreground region apart from the person', async () => {
    await openFirstPhotoInEditor(studio);
    await page.getByLabel('Size').fill('10');
    await page.keyboard.press('f');
    const a = await screenAt(0.08, 0.12);
    const b = await screenAt(0.16, 0.12);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 1 of 1');
    expect(await overlayAt(0.12, 0.12)).toBe('fg');
    expect(await overlayAt(0.5, 0.6)).toBe('fg');
    await shot('01-two-regions');
  });

  it('the band control widens and narrows the automatic unknown band under the strokes', async () => {
    const unknown = () =>
      page.getByTestId('trimap-overlay').evaluate((canvas: HTMLCanvasElement) => {
        const d = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] !== 0 && d[i + 1] > 150) n++;
        return n;
      });
    const before = await unknown();
    expect(await page.getByTestId('band-width').inputValue()).toBe('1');
    await page.getByTestId('band-width').fill('0.4');
    await page.getByTestId('band-width').press('Enter');
    await expect.poll(unknown, { timeout: 60_000 }).toBeLessThan(before * 0.8);
    const narrow = await unknown();
    await shot('04-band-narrow');
    await page.getByTestId('band-width').fill('3');
    await page.getByTestId('band-width').press('Enter');
    await expect.poll(unknown, { timeout: 60_000 }).toBeGreaterThan(narrow * 2);
    await page.getByTestId('band-width').blur();
    await shot('05-band-wide');
    // The stroke stays on top of the new automatic trimap.
    expect(await overlayAt(0.12, 0.12)).toBe('fg');
    expect(await page.getByTestId('trimap-version').textContent()).toBe('edit 1 of 1');
  });

  it('a click on the person with Keep subject keeps the person and drops the other region', async () => {
    await page.keyboard.press('k');
    expect(await page.getByRole('button', { name: 'Keep subject…' }).getAttribute('aria-pressed')).toBe('true');
    const p = await screenAt(0.5, 0.6);
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 30_000 }).toBe('edit 2 of 2');
    await expect.poll(() => overlayAt(0.12, 0.12)).toBe('bg');
    expect(await overlayAt(0.5, 0.6)).toBe('fg');
    // One click, then painting again.
    expect(await page.getByRole('button', { name: 'Keep subject…' }).getAttribute('aria-pressed')).toBe('false');
    await shot('02-subject-kept');
  });

  it('is one undoable edit', async () => {
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('trimap-version').textContent()).toBe('edit 1 of 2');
    await expect.poll(() => overlayAt(0.12, 0.12)).toBe('fg');
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => overlayAt(0.12, 0.12)).toBe('bg');
    await shot('03-redo');
  });

  it('shows no console warnings or errors', () => {
    expect(consoleProblems).toEqual([]);
  });
});
