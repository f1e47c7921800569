/**
 * The learning studio in Debian's Chromium over browser mode, on a small synthetic project:
 * import, correct two trimaps with the brush in the editor and refine them (the training's data),
 * refine a third as it is, train a few CPU steps through the Train dialog (progress, the chart's
 * pixels change), cancel and resume, finish, read the before/after table and the montage's
 * pixels, see the pair in the model manager, use it as the automatic trimap and refinement, and
 * get an alpha from it in the editor and through export.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { engineClient, openFirstPhotoInEditor, openStudioPage, type StudioPage } from '../helpers/browser';
import { makeComposite, rawRgb } from '../fixtures/make-fixtures';

let studio: StudioPage;
let page: Page;
let root: string;
let engine: Awaited<ReturnType<typeof engineClient>>;
const dialog = () => page.getByTestId('training-dialog');
const progress = () => dialog().getByTestId('training-progress');

/** Coloured pixels of the chart (the curves and their labels), as a fingerprint of what it draws. */
function chartPixels(): Promise<{ lit: number; hash: number }> {
  return page.getByTestId('training-chart').evaluate((canvas: HTMLCanvasElement) => {
    // Read through a copy: the app's context was made without willReadFrequently, and Chromium
    // warns when one context is read back many times (this is polled).
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(canvas, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let lit = 0;
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      // The curves are blue (training) and orange (validation): far from the grey background.
      if (Math.abs(data[i] - data[i + 2]) > 60) {
        lit++;
        hash = (hash * 31 + i) | 0;
      }
    }
    return { lit, hash };
  });
}

/** The montage as the dialog shows it: its size and, per 96-pixel tile, the share of white and of coloured pixels and the centre's colour. */
function montageTiles(): Promise<{ width: number; height: number; rows: { white: number; colourful: number; centre: number[] }[][] } | null> {
  return dialog()
    .getByTestId('training-montage')
    .evaluate((img: HTMLImageElement) => {
      if (!img.complete || !img.naturalWidth) return null;
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(img, 0, 0);
      const rows = [];
      for (let ty = 0; ty < canvas.height / 96; ty++) {
        const row = [];
        for (let tx = 0; tx < canvas.width / 96; tx++) {
          const d = ctx.getImageData(tx * 96, ty * 96, 96, 96).data;
          let white = 0;
          let colourful = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i] > 200 && d[i + 1] > 200 && d[i + 2] > 200) white++;
            if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 30) colourful++;
          }
          // The centre of the photo (96 x 80, letterboxed into the tile).
          const c = (48 * 96 + 48) * 4;
          row.push({ white: white / 9216, colourful: colourful / 9216, centre: [d[c], d[c + 1], d[c + 2]] });
        }
        rows.push(row);
      }
      return { width: canvas.width, height: canvas.height, rows };
    })
    .catch(() => null);
}

beforeAll(async () => {
  studio = await openStudioPage('training', {
    env: (dir) => ({ SHM_MODELS_DIR: path.join(dir, 'models') }),
    prepare: async (dir) => {
      await fs.mkdir(path.join(dir, 'models'));
      for (const f of ['selfie-general.json', 'selfie-general.onnx']) await fs.copyFile(path.resolve('models', f), path.join(dir, 'models', f));
      await fs.mkdir(path.join(dir, 'photos'));
      for (let i = 0; i < 3; i++) await rawRgb(makeComposite(96, 80, 3 + i)).png().toFile(path.join(dir, 'photos', `person${i}.png`));
    },
  });
  ({ page, root } = studio);
  engine = await engineClient(studio.server);
}, 120_000);

afterAll(async () => {
  engine?.close();
  await studio?.close();
});

describe('learning studio', () => {
  it('imports a folder, corrects two trimaps in the editor and refines the photos', async () => {
    await engine.call('settings.set', { refineMethod: 'guided' });
    await openFirstPhotoInEditor(studio, { tiles: 3 });
    for (const imageId of [1, 2]) {
      if (imageId > 1) {
        await page.evaluate((id) => (window.location.hash = `#/image/${id}`), imageId);
        await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 60_000 }).toBe('edit 0 of 0');
      }
      // The correction: background along the top of the photo, foreground across the person.
      const box = (await page.getByTestId('trimap-overlay').boundingBox())!;
      for (const [key, fy, from, to] of [['b', 0.08, 0.1, 0.9], ['f', 0.55, 0.35, 0.65]] as const) {
        await page.keyboard.press(key);
        await page.mouse.move(box.x + box.width * from, box.y + box.height * fy);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * to, box.y + box.height * fy, { steps: 8 });
        await page.mouse.up();
      }
      await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 30_000 }).toBe('edit 2 of 2');
      await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 30_000 }).toBe('All changes saved');
      await page.keyboard.press('r');
      await expect.poll(() => page.getByTestId('refine-state').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    }
    await page.evaluate(() => (window.location.hash = ''));
    // The third photo is refined as the automatic trimap left it: a held-out image with the user's final alpha.
    const { jobId } = (await engine.call('image.refine', { imageId: 3 })) as { jobId: number };
    const jobs = async () => ((await engine.call('jobs.list', {})) as { jobs: { jobId: number; state: string }[] }).jobs;
    await expect.poll(async () => (await jobs()).find((j) => j.jobId === jobId)?.state, { timeout: 120_000 }).toBe('done');
    await expect.poll(() => page.locator('[data-testid=image-tile][data-status=refined]').count(), { timeout: 120_000 }).toBe(3);
  });

  it('trains through the dialog: progress and the chart move; cancel, resume, finish', async () => {
    await page.getByRole('button', { name: 'Train…' }).click();
    await expect.poll(() => dialog().getByTestId('training-check').textContent(), { timeout: 60_000 }).toMatch(/^Python \S+ with PyTorch \S+ \(CPU only\)\.$/);
    // The input size is among the options: the exported pair runs at 64 px here.
    expect(await dialog().getByLabel('Input size').inputValue()).toBe('320');
    await dialog().getByLabel('Epochs').fill('4');
    await dialog().getByLabel('Patch size').fill('64');
    await dialog().getByLabel('Input size').fill('64');
    await dialog().getByLabel('Batch').fill('2');
    await dialog().getByLabel('Device').selectOption('cpu');
    await dialog().getByRole('button', { name: 'Train', exact: true }).click();

    // One image to learn from (the other corrected one validates): one step an epoch. The cancel
    // comes at the first step, so three epochs and the export are still ahead, however fast the machine.
    await expect.poll(() => dialog().getByTestId('training-step').textContent(), { timeout: 120_000 }).toMatch(/^\d+ \/ \d+$/);
    expect(await dialog().getByTestId('training-loss').textContent()).toMatch(/^\d+\.\d{4}/);
    const early = await chartPixels();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => progress().getAttribute('data-state'), { timeout: 30_000 }).toBe('cancelled');
    await dialog().getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => dialog().getByTestId('training-sad').textContent(), { timeout: 120_000 }).toMatch(/^\d+\.\d{3}$/);
    // The chart draws the resumed run's steps and the validation curve.
    await expect.poll(async () => (await chartPixels()).hash, { timeout: 60_000 }).not.toBe(early.hash);
    expect((await chartPixels()).lit).toBeGreaterThan(0);
    await studio.shot('01-training');
    await expect.poll(() => progress().getAttribute('data-state'), { timeout: 240_000 }).toBe('done');
    expect(await dialog().getByTestId('training-message').textContent()).toMatch(/^Trained \S+: \S+-tnet \(automatic trimap\) and \S+-mnet \(refinement\)$/);
    // Before and after on the images the training did not learn from: the corrected one of the
    // validation split and the one refined as it was; a table and the montage (photo | alpha | before | after).
    const report = dialog().getByTestId('training-report');
    await expect.poll(() => report.locator('tbody tr').count(), { timeout: 30_000 }).toBe(3);
    const rows = await report.locator('tbody tr').allTextContents();
    expect(rows[0]).toMatch(/^person1\.png\s*corrected\s*\d+\.\d{3}\s*\d+\.\d{3}$/);
    expect(rows[1]).toMatch(/^person2\.png\s*final\s*\d+\.\d{3}\s*\d+\.\d{3}$/);
    expect(rows[2]).toMatch(/^Mean\s*\d+\.\d{3}\s*\d+\.\d{3}$/);
    await expect.poll(() => montageTiles(), { timeout: 30_000 }).toMatchObject({ width: 4 * 96, height: 2 * 96 });
    const tiles = (await montageTiles())!;
    // Each row starts with its photo (the person's colour at the centre), then three grey mattes;
    // the corrected photo's alpha has the foreground the user painted.
    tiles.rows.forEach((row, i) => {
      const fg = makeComposite(96, 80, 4 + i).fg;
      expect(row[0].colourful).toBeGreaterThan(0.2);
      row[0].centre.forEach((v, c) => expect(Math.abs(v - fg[c])).toBeLessThan(12));
      for (const matte of row.slice(1)) expect(matte.colourful).toBe(0);
    });
    expect(tiles.rows[0][1].white).toBeGreaterThan(0.01);
    await dialog().getByRole('button', { name: 'Open log' }).click();
    await expect.poll(() => dialog().getByTestId('training-log').textContent()).toContain('"event": "done"');
    await studio.shot('02-done');
    await dialog().locator('footer').getByRole('button', { name: 'Close', exact: true }).click();
  });

  it('lists the pair in the model manager and uses it for the automatic trimap, the editor and export', async () => {
    await page.getByRole('button', { name: 'Settings…' }).click();
    const row = page.getByTestId('pair-row');
    await expect.poll(() => row.count()).toBe(1);
    const pairId = (await row.getAttribute('data-id'))!;
    expect(await row.textContent()).toContain('project');
    await row.getByRole('button', { name: 'Use' }).click();
    await expect.poll(() => row.textContent()).toContain('In use');
    const settings = (await engine.call('settings.get', {})) as { semanticModel: string; refineMethod: string };
    expect(settings).toMatchObject({ semanticModel: `${pairId}-tnet`, refineMethod: `${pairId}-mnet` });
    await studio.shot('03-pair');
    await page.keyboard.press('Escape');

    // The editor on the photo nobody corrected: the automatic trimap from the T-Net, the alpha from the M-Net.
    await page.evaluate(() => (window.location.hash = '#/image/3'));
    await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 60_000 }).toBe('edit 0 of 0');
    await page.getByTestId('refine').click();
    await expect.poll(() => page.getByTestId('refine-state').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    const detail = (await engine.call('image.open', { imageId: 3 })) as { method: string; cutout: string | null };
    expect(detail.method).toBe(`${pairId}-mnet`);
    expect(detail.cutout).toMatch(new RegExp(`^cutout/3/${pairId}-mnet`));
    await studio.shot('04-editor');

    // Export with the pair (the refinement setting): RGBA PNGs whose alpha came from the M-Net.
    const out = path.join(root, 'out');
    await fs.mkdir(out);
    const { jobId } = (await engine.call('export.start', { outDir: out, imageIds: [1] })) as { jobId: number };
    await expect.poll(async () => ((await engine.call('jobs.list', {})) as { jobs: { jobId: number; state: string }[] }).jobs.find((j) => j.jobId === jobId)?.state, { timeout: 120_000 }).toBe('done');
    const meta = await sharp(path.join(out, 'person0.png')).metadata();
    expect(meta.channels).toBe(4);
    expect(studio.consoleProblems).toEqual([]);
  });
});
