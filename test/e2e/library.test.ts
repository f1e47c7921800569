/**
 * The library, the settings dialog and the shortcut overlay in Debian's Chromium over browser
 * mode: import a folder, see statuses, filter by status, select with click / Shift-click /
 * Ctrl-click / Ctrl+A / Esc; switch the execution provider; add a model whose manifest does not
 * match its graph, then one that does.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { engineClient, openStudioPage, type StudioPage } from '../helpers/browser';
import { writeTestImage } from '../helpers/images';

let studio: StudioPage;
let page: Page;
let root: string;
let modelsDir: string;
const shot = (name: string) => studio.shot(name);

/** A second client of the same server, as the page speaks to it (token cookie + Origin). */
async function engineCall(method: string, params: unknown): Promise<unknown> {
  const client = await engineClient(studio.server);
  try {
    return await client.call(method, params);
  } finally {
    client.close();
  }
}

const tiles = () => page.getByTestId('image-tile');
const selectedTiles = () => page.locator('[data-testid=image-tile][aria-selected=true]');

beforeAll(async () => {
  studio = await openStudioPage('library', {
    // A copy of the models folder: adding a model must not touch the repository's models/.
    prepare: (dir) => fs.cp(path.resolve('models'), path.join(dir, 'models'), { recursive: true }),
    env: (dir) => ({ SHM_MODELS_DIR: path.join(dir, 'models') }),
  });
  ({ page, root } = studio);
  modelsDir = path.join(root, 'models');
  await page.goto(studio.server.url);
});

afterAll(async () => {
  await studio?.close();
});

describe('library', () => {
  it('tells the user what to do before a project is open and while it is empty', async () => {
    await expect.poll(() => page.getByTestId('empty-no-project').isVisible()).toBe(true);
    await shot('01-no-project');
    await page.getByLabel('Project folder').fill(path.join(root, 'project'));
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByTestId('empty-no-images').isVisible()).toBe(true);
    expect(await page.getByTestId('empty-no-images').textContent()).toContain('Import');
    await shot('02-empty-project');
  });

  it('imports a folder of photos (with a subfolder) and shows a tile with a status badge for each', async () => {
    const photos = path.join(root, 'photos');
    for (let i = 1; i <= 10; i++) await writeTestImage(path.join(photos, `shoot-${String(i).padStart(2, '0')}.jpg`), { seed: i, width: 640, height: 480, format: 'jpeg' });
    for (let i = 1; i <= 2; i++) await writeTestImage(path.join(photos, 'portraits', `p-${i}.png`), { seed: 20 + i, width: 300, height: 400 });
    await page.getByLabel(/Import folders or files/).fill(photos);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => tiles().count(), { timeout: 60_000 }).toBe(12);
    await expect.poll(() => page.getByTestId('filter-new').textContent()).toMatch(/New\s*12/);
    const badges = await page.getByTestId('status-badge').allTextContents();
    expect(badges.map((b) => b.trim())).toEqual(Array(12).fill('New'));
    expect(await page.getByText('portraits/p-1.png').isVisible()).toBe(true);
    await expect.poll(() => page.locator('[data-testid=image-tile] img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);
    await shot('03-imported');
  });

  it('counts images per status and filters by one or several statuses', async () => {
    const { images } = (await engineCall('images.list', {})) as { images: { id: number; relPath: string }[] };
    const [a, b, c] = images;
    await engineCall('image.open', { imageId: a.id });
    await engineCall('image.open', { imageId: b.id });
    await engineCall('image.open', { imageId: c.id });
    await engineCall('trimap.stroke', { imageId: c.id, stroke: { tool: 'fg', radius: 20, hardness: 1, points: [[100, 100], [140, 120]] } });

    await expect.poll(() => page.getByTestId('filter-auto').textContent()).toMatch(/Auto trimap\s*2/);
    await expect.poll(() => page.getByTestId('filter-edited').textContent()).toMatch(/Edited\s*1/);
    expect(await page.getByTestId('filter-new').textContent()).toMatch(/New\s*9/);
    expect(await page.getByTestId('filter-failed').isDisabled()).toBe(true);

    await page.getByTestId('filter-auto').click();
    await expect.poll(() => tiles().count()).toBe(2);
    expect(await tiles().evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['auto', 'auto']);
    await page.getByTestId('filter-edited').click();
    await expect.poll(() => tiles().count()).toBe(3);
    expect(await page.getByTestId('filter-edited').getAttribute('aria-pressed')).toBe('true');
    await shot('04-filtered-auto-edited');
    await page.getByTestId('filter-all').click();
    await expect.poll(() => tiles().count()).toBe(12);
  });

  it('selects with click, Shift-click, Ctrl-click, Ctrl+A and clears with Esc', async () => {
    await tiles().nth(1).click();
    expect(await selectedTiles().count()).toBe(1);
    await tiles().nth(5).click({ modifiers: ['Shift'] });
    await expect.poll(() => selectedTiles().count()).toBe(5);
    const ids = await selectedTiles().evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    const all = await tiles().evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(ids).toEqual(all.slice(1, 6));
    await tiles().nth(3).click({ modifiers: ['Control'] });
    await expect.poll(() => selectedTiles().count()).toBe(4);
    expect(await tiles().nth(3).getAttribute('aria-selected')).toBe('false');
    expect(await page.getByTestId('selection-count').textContent()).toMatch(/4\s*of 12 selected/);
    await shot('05-selection');

    await page.keyboard.press('Control+A');
    await expect.poll(() => selectedTiles().count()).toBe(12);
    await page.keyboard.press('Escape');
    await expect.poll(() => selectedTiles().count()).toBe(0);

    // Keyboard: arrows move, Shift+arrow extends from the focused tile.
    await tiles().nth(0).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => selectedTiles().count()).toBe(3);
    await page.keyboard.press('Escape');
  });

  it('keeps the selection to what a filter shows', async () => {
    await page.keyboard.press('Control+A');
    await expect.poll(() => selectedTiles().count()).toBe(12);
    await page.getByTestId('filter-auto').click();
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toMatch(/2\s*of 2 selected/);
    await page.getByTestId('filter-all').click();
    await page.keyboard.press('Escape');
  });

  it('lists every shortcut, grouped by view, in the ? overlay', async () => {
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('Shift+Slash');
    const overlay = page.getByTestId('help-overlay');
    await expect.poll(() => overlay.isVisible()).toBe(true);
    const groups = await overlay.getByTestId('shortcut-group').locator('h3').allTextContents();
    expect(groups).toEqual(['Everywhere', 'Library', 'Trimap editor', 'Compare', 'Dialogs']);
    expect(await overlay.textContent()).toContain('Foreground brush');
    await shot('06-shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => overlay.isVisible()).toBe(false);
  });
});

describe('settings dialog', () => {
  it('switches the execution provider to cpu and shows the active provider and why others were skipped', async () => {
    await page.getByRole('button', { name: 'Settings…' }).click();
    const dialog = page.getByTestId('settings-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => dialog.getByTestId('active-provider').textContent(), { timeout: 60_000 }).toMatch(/cpu|webgpu|cuda/);
    await shot('07-settings-auto');
    await dialog.getByLabel('Execution provider').selectOption('cpu');
    await expect.poll(() => dialog.getByTestId('active-provider').textContent(), { timeout: 60_000 }).toBe('cpu');
    expect(await dialog.getByTestId('provider-report').textContent()).toContain('in use');
    const saved = JSON.parse(await fs.readFile(path.join(root, 'app-data', 'settings.json'), 'utf8')) as { executionProvider?: string };
    expect(saved.executionProvider).toBe('cpu');
    // The model table lists the shipped models with role and licence.
    const rows = dialog.getByTestId('model-row');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await dialog.getByTestId('model-table').textContent()).toContain('Apache-2.0');
    await shot('08-settings-cpu');
  });

  it('refuses a model whose manifest does not match its graph and lists every mismatch', async () => {
    const dialog = page.getByTestId('settings-dialog');
    await dialog.getByRole('button', { name: 'Add model…' }).click();
    await dialog.getByLabel('ONNX file').fill(path.join(modelsDir, 'selfie-general.onnx'));
    // The template manifest describes a 320×320 NCHW T-Net with input "input": not this graph.
    await dialog.getByRole('button', { name: 'Add model', exact: true }).click();
    const error = dialog.getByTestId('add-model-error');
    await expect.poll(() => error.isVisible(), { timeout: 30_000 }).toBe(true);
    // The code is for code (an attribute); the person reads the message, not the code.
    expect(await error.getAttribute('data-code')).toBe('MODEL_MISMATCH');
    expect(await error.textContent()).not.toContain('MODEL_MISMATCH');
    const details = await dialog.getByTestId('add-model-details').locator('li').allTextContents();
    expect(details.length).toBeGreaterThanOrEqual(2);
    expect(details.join('\n')).toMatch(/input "input" not found; the model has "input_1"/);
    await error.scrollIntoViewIfNeeded();
    await shot('09-model-mismatch');
    expect(await fs.readdir(modelsDir)).not.toContain('my-shm-tnet.json');
  });

  it('adds a model whose manifest matches and lists it as the user\'s', async () => {
    const dialog = page.getByTestId('settings-dialog');
    const manifest = JSON.parse(await fs.readFile(path.join(modelsDir, 'selfie-general.json'), 'utf8')) as Record<string, unknown>;
    const { source: _converted, ...rest } = manifest;
    const mine = { ...rest, id: 'my-selfie', name: 'My selfie copy', license: { name: 'Apache-2.0' }, preparation: { method: 'user-onnx' } };
    await dialog.getByLabel('Manifest (JSON)').fill(JSON.stringify(mine, null, 2));
    await dialog.getByRole('button', { name: 'Add model', exact: true }).click();
    await expect.poll(() => dialog.locator('[data-testid=model-row][data-id=my-selfie]').count(), { timeout: 30_000 }).toBe(1);
    expect(await dialog.locator('[data-testid=model-row][data-id=my-selfie]').textContent()).toContain('yours');
    expect(await fs.readdir(modelsDir)).toEqual(expect.arrayContaining(['my-selfie.json', 'my-selfie.onnx']));
    await shot('10-model-added');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('ran without console errors or CSP violations', () => {
    expect(studio.consoleErrors).toEqual([]);
  });
});
