/**
 * The editor's live preview: latency from the end of a stroke to the preview's pixels on screen
 * (the editor records `live-preview` performance measures: stroke end → second animation frame
 * after the preview was drawn), in Chromium, on a 2 MP and a 24 MP photo in the "On black" view.
 *
 * Reference, measured in the same run: the worker's refinement alone (`guidedAlpha`, the same
 * function) in this Node process, at the 1 MP working size the editor uses and at 2 MP.
 *
 *   npx electron-vite build && npx tsx bench/live-preview.ts [strokes]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { guidedAlpha } from '../src/engine/matting/alpha/alpha-guided';
import { launchBrowser, startBuiltWebServer } from '../test/helpers/browser';

const strokes = Number(process.argv[2] ?? 8);
const TARGET_MS = 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The worker's work alone: a photo-like image with a 24-px unknown band around a disc. */
function referenceMs(width: number, height: number): number {
  const data = new Uint8Array(width * height * 3);
  const trimap = new Uint8Array(width * height);
  const r = height / 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - width / 2, y - height / 2) - r;
      const i = y * width + x;
      data[3 * i] = d < 0 ? 220 : (x * 7) & 255;
      data[3 * i + 1] = d < 0 ? 180 : (y * 5) & 255;
      data[3 * i + 2] = d < 0 ? 150 : 90;
      trimap[i] = d < -12 ? 255 : d > 12 ? 0 : 128;
    }
  }
  const times: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    guidedAlpha({ width, height, data }, trimap);
    times.push(performance.now() - t);
  }
  return median(times.slice(1));
}

async function photo(file: string, width: number, height: number): Promise<void> {
  const side = Math.round(height * 0.9);
  const person = await sharp('test/fixtures/astronaut-256.png').resize(side, side).png().toBuffer();
  await sharp({ create: { width, height, channels: 3, background: '#7a8fa6' } })
    .composite([{ input: person, left: Math.round((width - side) / 2), top: Math.round(height * 0.1) }])
    .jpeg({ quality: 90 })
    .toFile(file);
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'shm-bench-live-'));
try {
  const photos = path.join(root, 'photos');
  await fs.mkdir(photos);
  await photo(path.join(photos, 'a-2mp.jpg'), 1732, 1155);
  await photo(path.join(photos, 'b-24mp.jpg'), 6000, 4000);
  const reference = referenceMs(1224, 816);
  console.log(`reference, guidedAlpha alone in Node: 1 MP (the working size) median ${reference.toFixed(1)} ms, 2 MP ${referenceMs(1732, 1155).toFixed(1)} ms`);

  const server = await startBuiltWebServer(path.join(root, 'app-data'));
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(server.url);
  await page.getByLabel('Project folder').fill(path.join(root, 'project'));
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByLabel(/Import folders or files/).fill(photos);
  await page.getByLabel(/Import folders or files/).press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=image-tile]').length === 2, null, { timeout: 120_000 });

  for (const [id, label] of [
    [1, '2 MP (1732×1155)'],
    [2, '24 MP (6000×4000, preview 4096×2731)'],
  ] as const) {
    await page.evaluate((n) => (window.location.hash = `#/image/${n}`), id);
    await page.waitForFunction(() => document.querySelector('[data-testid=trimap-version]')?.textContent === 'edit 0 of 0', null, { timeout: 180_000 });
    await page.getByRole('checkbox', { name: 'Auto' }).uncheck();
    await page.getByTestId('view-mode').selectOption('black');
    await page.getByTestId('result-canvas').waitFor({ timeout: 60_000 });
    await page.keyboard.press('b');
    await page.evaluate(() => performance.clearMeasures('live-preview'));
    const box = (await page.getByTestId('trimap-canvas').locator('img').first().boundingBox())!;
    for (let i = 0; i < strokes; i++) {
      const y = box.y + box.height * (0.3 + (0.5 * i) / strokes);
      await page.mouse.move(box.x + box.width * 0.4, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, y, { steps: 6 });
      await page.mouse.up();
      // Wait for this stroke's preview before the next, so each measure is one stroke's.
      await page.waitForFunction((n) => performance.getEntriesByName('live-preview').length >= n, i + 1, { timeout: 30_000 });
    }
    const latencies = await page.evaluate(() => performance.getEntriesByName('live-preview').map((e) => e.duration));
    const worker = Number((await page.getByTestId('live-ms').textContent())!.match(/\d+/)![0]);
    const med = median(latencies);
    console.log(
      `${label}: stroke end → preview on screen median ${med.toFixed(0)} ms over ${latencies.length} strokes (target < ${TARGET_MS} ms: ${med < TARGET_MS ? 'met' : 'MISSED'}); last worker time ${worker} ms; ratio to the reference ${(med / reference).toFixed(1)}×`,
    );
    await page.keyboard.press('Escape');
  }
  await browser.close();
  await server.stop();
} finally {
  await fs.rm(root, { recursive: true, force: true });
}
