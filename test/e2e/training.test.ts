/**
 * The learning studio in Debian's Chromium over browser mode, on a small synthetic project:
 * import, refine, train a few CPU steps through the Train dialog (progress, the chart's pixels
 * change), cancel and resume, finish, see the pair in the model manager, use it as the automatic
 * trimap and refinement, and get an alpha from it in the editor and through export.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { engineClient, openStudioPage, type StudioPage } from '../helpers/browser';
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
    const data = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height).data;
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

beforeAll(async () => {
  studio = await openStudioPage('training', {
    env: (dir) => ({ SHM_MODELS_DIR: path.join(dir, 'models') }),
    prepare: async (dir) => {
      await fs.mkdir(path.join(dir, 'models'));
      for (const f of ['selfie-general.json', 'selfie-general.onnx']) await fs.copyFile(path.resolve('models', f), path.join(dir, 'models', f));
      await fs.mkdir(path.join(dir, 'photos'));
      for (let i = 0; i < 4; i++) await rawRgb(makeComposite(96, 80, 3 + i)).png().toFile(path.join(dir, 'photos', `person${i}.png`));
    },
  });
  ({ page, root } = studio);
  await page.goto(studio.server.url);
  engine = await engineClient(studio.server);
}, 120_000);

afterAll(async () => {
  engine?.close();
  await studio?.close();
});

describe('learning studio', () => {
  it('imports a folder and refines it', async () => {
    await page.getByLabel('Project folder').fill(path.join(root, 'project'));
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByLabel(/Import folders or files/).fill(path.join(root, 'photos'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('image-tile').count(), { timeout: 60_000 }).toBe(4);
    const jobs = async () => ((await engine.call('jobs.list', {})) as { jobs: { jobId: number; kind: string; state: string }[] }).jobs;
    await expect.poll(async () => (await jobs()).filter((j) => j.kind === 'import').map((j) => j.state), { timeout: 60_000 }).toEqual(['done']);
    await engine.call('settings.set', { refineMethod: 'guided' });
    const refines: number[] = [];
    for (let id = 1; id <= 4; id++) refines.push(((await engine.call('image.refine', { imageId: id })) as { jobId: number }).jobId);
    await expect.poll(async () => (await jobs()).filter((j) => refines.includes(j.jobId)).map((j) => j.state), { timeout: 120_000 }).toEqual(['done', 'done', 'done', 'done']);
    await expect.poll(() => page.locator('[data-testid=image-tile][data-status=refined]').count(), { timeout: 120_000 }).toBe(4);
  });

  it('trains through the dialog: progress and the chart move; cancel, resume, finish', async () => {
    await page.getByRole('button', { name: 'Train…' }).click();
    await expect.poll(() => dialog().getByTestId('training-check').textContent(), { timeout: 60_000 }).toMatch(/^Python \S+ with PyTorch \S+ \(CPU only\)\.$/);
    await dialog().getByLabel('Epochs').fill('3');
    await dialog().getByLabel('Patch size').fill('64');
    await dialog().getByLabel('Batch').fill('2');
    await dialog().getByLabel('Device').selectOption('cpu');
    await dialog().getByRole('button', { name: 'Train', exact: true }).click();

    await expect.poll(() => dialog().getByTestId('training-step').textContent(), { timeout: 120_000 }).toMatch(/^\d+ \/ \d+$/);
    expect(await dialog().getByTestId('training-loss').textContent()).toMatch(/^\d+\.\d{4}/);
    const early = await chartPixels();
    await expect.poll(() => dialog().getByTestId('training-sad').textContent(), { timeout: 120_000 }).toMatch(/^\d+\.\d{3}$/);
    const later = await chartPixels();
    expect(later.lit).toBeGreaterThan(0);
    expect(later).not.toEqual(early);
    await studio.shot('01-training');

    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => progress().getAttribute('data-state'), { timeout: 30_000 }).toBe('cancelled');
    await dialog().getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => progress().getAttribute('data-state'), { timeout: 240_000 }).toBe('done');
    expect(await dialog().getByTestId('training-message').textContent()).toMatch(/^Trained \S+: \S+-tnet \(automatic trimap\) and \S+-mnet \(refinement\)$/);
    // Before and after on the held-out image.
    await expect.poll(() => dialog().getByTestId('training-report').locator('tbody tr').count()).toBe(2);
    expect(await dialog().getByTestId('training-report').textContent()).toMatch(/person3\.png\s*final\s*\d+\.\d{3}\s*\d+\.\d{3}/);
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

    // The editor: the automatic trimap from the T-Net, the alpha from the M-Net.
    await page.evaluate(() => (window.location.hash = '#/image/1'));
    await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 60_000 }).toBe('edit 0 of 0');
    await page.getByTestId('refine').click();
    await expect.poll(() => page.getByTestId('refine-state').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    const detail = (await engine.call('image.open', { imageId: 1 })) as { method: string; cutout: string | null };
    expect(detail.method).toBe(`${pairId}-mnet`);
    expect(detail.cutout).toMatch(new RegExp(`^cutout/1/${pairId}-mnet`));
    await studio.shot('04-editor');

    // Export with the pair (the refinement setting): RGBA PNGs whose alpha came from the M-Net.
    const out = path.join(root, 'out');
    await fs.mkdir(out);
    const { jobId } = (await engine.call('export.start', { outDir: out, imageIds: [1] })) as { jobId: number };
    await expect.poll(async () => ((await engine.call('jobs.list', {})) as { jobs: { jobId: number; state: string }[] }).jobs.find((j) => j.jobId === jobId)?.state, { timeout: 120_000 }).toBe('done');
    const meta = await sharp(path.join(out, 'person0.png')).metadata();
    expect(meta.channels).toBe(4);
    expect(studio.consoleErrors).toEqual([]);
  });
});
