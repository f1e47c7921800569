/**
 * Brush-stroke latency in the trimap editor on a 24-megapixel photo: from the pointer event to
 * the frame that shows the painted pixels (the editor records `stroke-segment` performance
 * measures: event timestamp → next animation frame after the overlay was updated).
 *
 * Reference, measured in the same page: repainting the whole overlay for each segment (recolour
 * the full preview-size label plane and upload it), which is what a naive editor does.
 *
 * With a view mode (e.g. `black`), the strokes are painted in that view, so the live preview
 * (guided refinement in a worker after each stroke) runs while painting.
 *
 *   npx electron-vite build && npx tsx bench/brush-latency.ts [segments] [view]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { engineClient, launchBrowser, startBuiltWebServer } from '../test/helpers/browser';

const segments = Number(process.argv[2] ?? 120);
const view = process.argv[3];
const TARGET_MS = 16;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'shm-bench-brush-'));
try {
  const photos = path.join(root, 'photos');
  await fs.mkdir(photos);
  // 6000×4000 = 24 MP: the astronaut scaled up over a gradient, as a JPEG like a camera's.
  const person = await sharp('test/fixtures/astronaut-256.png').resize(3600, 3600).png().toBuffer();
  await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#7a8fa6' } })
    .composite([{ input: person, left: 1200, top: 400 }])
    .jpeg({ quality: 90 })
    .toFile(path.join(photos, 'big.jpg'));

  const server = await startBuiltWebServer(path.join(root, 'app-data'));
  const engine = await engineClient(server);
  const call = (method: string, params: unknown) => engine.call(method, params);
  await call('project.create', { path: path.join(root, 'project') });
  await call('images.import', { paths: [photos] });
  await new Promise((r) => setTimeout(r, 3000));
  let t = performance.now();
  await call('image.open', { imageId: 1 });
  console.log(`image.open on 24 MP (decode + semantic model + automatic trimap): ${(performance.now() - t).toFixed(0)} ms`);

  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(server.url);
  t = performance.now();
  await page.evaluate(() => (window.location.hash = '#/image/1'));
  await page.getByTestId('trimap-overlay').waitFor();
  await page.waitForFunction(() => (document.querySelector('[data-testid=trimap-overlay]') as HTMLCanvasElement | null)?.width === 4096, null, { timeout: 120_000 });
  console.log(`editor ready with a 4096×2731 overlay: ${(performance.now() - t).toFixed(0)} ms`);
  await page.getByRole('checkbox', { name: 'Auto' }).uncheck();
  if (view) {
    await page.getByTestId('view-mode').selectOption(view);
    await page.getByTestId('result-canvas').waitFor({ timeout: 60_000 });
    console.log(`painting in the "${view}" view: the live preview runs`);
  }

  const box = (await page.getByTestId('trimap-overlay').boundingBox())!;
  await page.evaluate(() => performance.clearMeasures('stroke-segment'));
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
  await page.mouse.down();
  for (let i = 1; i <= segments; i++) {
    await page.mouse.move(box.x + box.width * (0.2 + (0.6 * i) / segments), box.y + box.height * (0.5 + 0.1 * Math.sin(i / 8)));
  }
  await page.mouse.up();
  await page.waitForTimeout(500);
  const latencies = await page.evaluate(() => performance.getEntriesByName('stroke-segment').map((e) => e.duration));

  // Reference: recolour and upload the whole overlay per segment.
  const reference = await page.getByTestId('trimap-overlay').evaluate(async (canvas: HTMLCanvasElement, n: number) => {
    const ctx = canvas.getContext('2d')!;
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      const start = performance.now();
      const d = img.data;
      for (let i = 0; i < d.length; i += 4) d[i + 3] = d[i + 3] === 0 ? 0 : 255;
      ctx.putImageData(img, 0, 0);
      await new Promise((r) => requestAnimationFrame(r));
      out.push(performance.now() - start);
    }
    return out;
  }, Math.min(20, segments));

  const med = quantile(latencies, 0.5);
  const p95 = quantile(latencies, 0.95);
  const refMed = quantile(reference, 0.5);
  console.log(`segments measured: ${latencies.length}`);
  console.log(`stroke segment, input → pixels on screen: median ${med.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < ${TARGET_MS} ms: ${med < TARGET_MS ? 'met' : 'MISSED'})`);
  console.log(`reference, full-overlay repaint per segment: median ${refMed.toFixed(1)} ms`);
  console.log(`ratio reference / editor: ${(refMed / med).toFixed(1)}×`);
  await browser.close();
  engine.close();
  await server.stop();
} finally {
  await fs.rm(root, { recursive: true, force: true });
}
