/**
 * The webcam window running a trained SHM pair, in Debian's Chromium over browser mode with the
 * fake camera: the window lists the studio's trained pair, runs it, and its overlay names the
 * pair with the fps and latency it gets; a pair that cannot load says so and the stream goes on
 * with the automatic model. The pair is real (training/export.py on untrained weights).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startBuiltWebServer, type RunningWebServer } from '../helpers/browser';
import { writeAstronautY4m } from '../fixtures/webcam/clip';
import { exportUntrainedPair } from '../fixtures/webcam/pair';

const artifacts = path.resolve('test-results/e2e/webcam-pair');
let root: string;
let server: RunningWebServer;
let browser: Browser;
let page: Page;
const consoleProblems: string[] = [];

const frames = (p: Page) => p.getByTestId('webcam-stage').getAttribute('data-frames').then(Number);
const overlayNumber = async (p: Page, id: string, pattern: RegExp) => Number(pattern.exec((await p.getByTestId(id).textContent()) ?? '')?.[1]);

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-webcam-pair-e2e-'));
  fs.mkdirSync(artifacts, { recursive: true });
  const models = path.join(root, 'models');
  fs.mkdirSync(models);
  for (const f of ['selfie-landscape.json', 'selfie-landscape.onnx', 'selfie-general.json', 'selfie-general.onnx']) fs.copyFileSync(path.resolve('models', f), path.join(models, f));
  exportUntrainedPair(models, 'campair', 160);
  // The same pair with its M-Net file damaged: listed, unable to load.
  for (const half of ['tnet', 'mnet']) {
    const manifest = JSON.parse(fs.readFileSync(path.join(models, `campair-${half}.json`), 'utf8')) as { training: object };
    fs.writeFileSync(path.join(models, `broken-${half}.json`), JSON.stringify({ ...manifest, id: `broken-${half}`, training: { ...manifest.training, pairId: 'broken' } }));
  }
  fs.copyFileSync(path.join(models, 'campair-tnet.onnx'), path.join(models, 'broken-tnet.onnx'));
  fs.writeFileSync(path.join(models, 'broken-mnet.onnx'), 'not an onnx file');

  const clip = await writeAstronautY4m(path.join(root, 'astronaut.y4m'), 640, 480, 20);
  server = await startBuiltWebServer(path.join(root, 'app-data'), { SHM_MODELS_DIR: models });
  browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
  page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  page.on('console', (m) => (m.type() === 'warning' || m.type() === 'error') && consoleProblems.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
  const url = new URL(server.url);
  url.pathname = '/webcam';
  await page.goto(url.toString());
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('webcam window with a trained pair', () => {
  it('starts on the automatic model and lists the trained pairs', async () => {
    await expect.poll(() => frames(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('webcam-model').textContent()).toContain('Automatic');
    const select = page.getByTestId('model-select');
    await expect.poll(() => select.locator('option').allTextContents(), { timeout: 30_000 }).toEqual([
      expect.stringContaining('Automatic'),
      expect.stringContaining('broken'),
      expect.stringContaining('campair'),
    ]);
  });

  it('runs the pair: the overlay names it, with the fps and the frame-to-matte latency it gets', async () => {
    await page.getByTestId('model-select').selectOption('campair');
    await expect.poll(() => page.getByTestId('webcam-model').getAttribute('data-slot'), { timeout: 60_000 }).toBe('pair');
    expect(await page.getByTestId('webcam-model').textContent()).toContain('campair');
    expect(await page.getByTestId('webcam-message').textContent()).toMatch(/Trained pair campair .* runs at 224×160/);
    const start = await frames(page);
    await expect.poll(() => frames(page), { timeout: 60_000 }).toBeGreaterThan(start + 5);
    expect(await overlayNumber(page, 'webcam-fps', /([\d.]+)\s*fps/)).toBeGreaterThan(0);
    expect(await overlayNumber(page, 'webcam-latency', /(\d+)\s*ms/)).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(artifacts, '01-pair-running.png') });
  });

  it('says why a pair cannot load and goes on with the automatic model', async () => {
    await page.getByTestId('model-select').selectOption('broken');
    await expect.poll(() => page.getByTestId('webcam-message').textContent(), { timeout: 60_000 }).toMatch(/broken.*could not be loaded.*automatic model/);
    await expect.poll(() => page.getByTestId('webcam-model').getAttribute('data-slot'), { timeout: 30_000 }).toBe('auto');
    expect(await page.getByTestId('model-select').inputValue()).toBe('auto');
    const start = await frames(page);
    await expect.poll(() => frames(page), { timeout: 60_000 }).toBeGreaterThan(start + 3);
    expect(await page.getByTestId('webcam-stage').getAttribute('data-status')).toBe('live');
    await page.screenshot({ path: path.join(artifacts, '02-broken-pair.png') });
  });

  it('ran without console warnings or errors', () => {
    expect(consoleProblems).toEqual([]);
  });
});
