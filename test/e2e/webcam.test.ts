/**
 * The webcam window in Debian's Chromium over browser mode, with Chromium's fake camera fed a
 * Y4M clip of the astronaut photo made at test time: frames reach the engine and come back as
 * alphas that separate the person from the background; the overlay reports the frame rate;
 * snapshots land in the open project; refused, absent and unplugged cameras give a clear message.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startBuiltWebServer, type RunningWebServer } from '../helpers/browser';
import { writeAstronautY4m } from '../fixtures/webcam/clip';
import { FRAME_HEADER_BYTES, decodeMessage, type AlphaMessage, type FrameMessage } from '../../src/shared/webcam';
import { i420ToInterleaved } from '../../src/shared/yuv';

const artifacts = path.resolve('test-results/e2e/webcam');
let root: string;
let clip: string;
let server: RunningWebServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
/** The last frames the page sent and the alphas it got, by sequence number, with their sizes on the wire. */
const wire = { frames: new Map<number, { message: FrameMessage; bytes: number }>(), alphas: new Map<number, { message: AlphaMessage; bytes: number }>() };

/**
 * The built server when the build has the webcam worker entry; otherwise the same server from
 * source (tsx), so this test does not depend on the build config listing the worker.
 */
async function startServer(appData: string): Promise<RunningWebServer> {
  if (fs.existsSync(path.resolve('out/main/webcam-worker.js'))) return startBuiltWebServer(appData);
  console.warn('[webcam e2e] out/main/webcam-worker.js is not built: serving the engine from source');
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/web/main.ts'), '--app-data', appData, '--renderer', path.resolve('out/renderer')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web server did not start:\n${log}`)), 60_000);
    child.stdout.on('data', () => {
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`web server exited with ${code}:\n${log}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    output: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function webcamUrl(): string {
  const url = new URL(server.url);
  url.pathname = '/webcam';
  return url.toString();
}

const frames = (p: Page) => p.getByTestId('webcam-stage').getAttribute('data-frames').then(Number);

/** The parts of DOM types the page functions below use (the tests compile without the DOM lib). */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray; width: number; height: number } };
}
interface PageTrack extends EventTarget {
  stop(): void;
}
interface PageDocument {
  querySelector(selector: 'video'): { srcObject: { getVideoTracks(): PageTrack[] } };
}

/** Share of the stage canvas whose red channel is at least half: the matte's coverage when the background is "Matte". */
function canvasMatte(p: Page) {
  return p.getByTestId('webcam-canvas').evaluate((element) => {
    const canvas = element as unknown as PageCanvas;
    const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let on = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] >= 128) on++;
    const at = (x: number, y: number) => data[4 * (Math.round(y * (height - 1)) * width + Math.round(x * (width - 1)))];
    return { width, height, coverage: on / (width * height), centre: at(0.5, 0.7), topLeft: at(0.02, 0.03), topRight: at(0.98, 0.03) };
  });
}

beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'shm-webcam-e2e-'));
  await fsp.mkdir(artifacts, { recursive: true });
  clip = await writeAstronautY4m(path.join(root, 'astronaut.y4m'), 640, 480, 20);
  server = await startServer(path.join(root, 'app-data'));
  browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
  page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && consoleErrors.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('websocket', (ws) => {
    const keep = (payload: string | Buffer) => {
      if (typeof payload === 'string') return;
      const message = decodeMessage(payload);
      const book = message.kind === 'frame' ? wire.frames : message.kind === 'alpha' ? wire.alphas : null;
      if (!book) return;
      (book as Map<number, { message: typeof message; bytes: number }>).set(message.seq, { message, bytes: payload.length });
      // The test needs the last ones (about 2 s of frames): older ones go.
      for (const seq of book.keys()) if (seq < message.seq - 60) book.delete(seq);
    };
    ws.on('framesent', ({ payload }) => keep(payload));
    ws.on('framereceived', ({ payload }) => keep(payload));
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fsp.rm(root, { recursive: true, force: true });
});

describe('webcam window with a fake camera', () => {
  it('shows live composited frames with fps, latency and the execution provider in the overlay', async () => {
    await page.goto(webcamUrl());
    await expect.poll(() => frames(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(15);
    const fps = Number((await page.getByTestId('webcam-fps').textContent())?.match(/([\d.]+)\s*fps/)?.[1]);
    expect(fps).toBeGreaterThan(2);
    const latency = Number((await page.getByTestId('webcam-latency').textContent())?.match(/(\d+)\s*ms/)?.[1]);
    expect(latency).toBeGreaterThan(0);
    expect(await page.getByTestId('webcam-provider').textContent()).toBe('CPU');
    expect(await page.getByTestId('camera-select').locator('option').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(artifacts, '01-live-colour-on-grey.png') });
  });

  it('returns an alpha that separates the person from the background', async () => {
    await page.getByRole('radio', { name: 'Matte' }).click();
    const start = await frames(page);
    await expect.poll(() => frames(page)).toBeGreaterThan(start + 2);
    const matte = await canvasMatte(page);
    expect(matte).toMatchObject({ width: 640, height: 480 });
    expect(matte.coverage).toBeGreaterThan(0.2);
    expect(matte.coverage).toBeLessThan(0.8);
    expect(matte.centre).toBeGreaterThan(200);
    expect(matte.topLeft).toBeLessThan(40);
    expect(matte.topRight).toBeLessThan(40);
    const reported = Number(await page.getByTestId('webcam-stage').getAttribute('data-coverage'));
    expect(Math.abs(reported - matte.coverage)).toBeLessThan(0.1);
    await page.screenshot({ path: path.join(artifacts, '02-matte.png') });
  });

  it('composites the camera frame it sent with the alpha the engine answered, pixel for pixel', async () => {
    // The stage, and the sequence number of the frame on it, read in one task of the page.
    const shown = () =>
      page.getByTestId('webcam-canvas').evaluate((element) => {
        const canvas = element as unknown as PageCanvas;
        const seq = Number((element as unknown as { closest(s: string): { getAttribute(n: string): string } }).closest('[data-testid="webcam-stage"]').getAttribute('data-seq'));
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        // As base64: a plain array of 1.2 M numbers takes seconds to serialise.
        let binary = '';
        for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
        return { seq, base64: (globalThis as unknown as { btoa(s: string): string }).btoa(binary) };
      })
        .then(({ seq, base64 }) => ({ seq, data: Buffer.from(base64, 'base64') }));
    for (const background of ['Matte', 'Colour on grey'] as const) {
      await page.getByRole('radio', { name: background, exact: true }).click();
      const start = await frames(page);
      await expect.poll(() => frames(page)).toBeGreaterThan(start + 2);
      const screen = await shown();
      // Playwright may report the messages a moment after the page handled them.
      await expect.poll(() => wire.frames.has(screen.seq) && wire.alphas.has(screen.seq), { timeout: 10_000 }).toBe(true);
      const sent = wire.frames.get(screen.seq);
      const answered = wire.alphas.get(screen.seq);
      if (!sent || !answered) throw new Error(`frame ${screen.seq} was not seen on the wire`);
      const { width, height } = sent.message;
      expect(answered.message).toMatchObject({ width: 640, height: 480 });
      // Camera frames leave as I420 (1.5 bytes a pixel, not 4) and alphas come back run-length coded.
      expect(sent.message.format).toBe('i420');
      expect(sent.bytes).toBe(FRAME_HEADER_BYTES + width * height * 1.5);
      // Measured: about 62 KB for the astronaut's 307 KB matte.
      expect(answered.bytes).toBeLessThan((width * height) / 3);
      const rgb = new Uint8Array(width * height * 4);
      i420ToInterleaved(sent.message.pixels, width, height, 4, rgb);
      const alpha = answered.message.alpha;
      let worst = 0;
      let mixed = 0;
      let translucent = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          // Mirrored (the default): the screen's x is the camera's width - 1 - x.
          const i = y * width + (width - 1 - x);
          const a = alpha[i];
          if (a > 0 && a < 255) mixed++;
          const o = 4 * (y * width + x);
          for (let k = 0; k < 3; k++) {
            let want = a;
            if (background === 'Colour on grey') {
              const [r, g, b] = [rgb[4 * i], rgb[4 * i + 1], rgb[4 * i + 2]];
              const grey = ((0.2126 * r + 0.7152 * g + 0.0722 * b - 127.5) * 0.8 + 127.5) * 0.9;
              want = grey + (rgb[4 * i + k] - grey) * (a / 255);
            }
            worst = Math.max(worst, Math.abs(screen.data[o + k] - want));
          }
          if (screen.data[o + 3] !== 255) translucent++;
        }
      }
      expect(translucent).toBe(0);
      // The matte has a soft edge, so the blend itself is checked, not only 0 and 255.
      expect(mixed).toBeGreaterThan(1000);
      expect(worst, background).toBeLessThanOrEqual(1);
    }
  });

  it('draws every background', async () => {
    for (const [name, file] of [['Transparent', '03-transparent'], ['Blur', '04-blur'], ['Colour', '05-colour']] as const) {
      await page.getByRole('radio', { name, exact: true }).click();
      const start = await frames(page);
      await expect.poll(() => frames(page)).toBeGreaterThan(start + 2);
      await page.screenshot({ path: path.join(artifacts, `${file}.png`) });
    }
  });

  it('saves a snapshot into the project opened in the studio window', async () => {
    await page.getByRole('button', { name: 'Snapshot' }).click();
    await expect.poll(() => page.getByTestId('webcam-message').textContent()).toContain('Open a project');

    const studio = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    await studio.goto(server.url);
    await studio.getByLabel('Project folder').fill(path.join(root, 'project'));
    await studio.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => studio.getByTestId('project-name').textContent()).toContain('project');

    await page.getByRole('button', { name: 'Snapshot' }).click();
    await expect.poll(() => page.getByTestId('webcam-message').textContent(), { timeout: 30_000 }).toContain('Snapshot added to project');
    await page.screenshot({ path: path.join(artifacts, '06-snapshot-saved.png') });
    await expect.poll(() => studio.getByTestId('image-tile').count(), { timeout: 30_000 }).toBe(1);
    await studio.close();
  });

  it('stops cleanly with a clear message when the camera is unplugged mid-stream', async () => {
    await page.evaluate(() => {
      const track = (globalThis as unknown as { document: PageDocument }).document.querySelector('video').srcObject.getVideoTracks()[0];
      // What the browser does when the device goes away: the track ends.
      track.stop();
      track.dispatchEvent(new Event('ended'));
    });
    await expect.poll(() => page.getByTestId('webcam-problem').getAttribute('data-problem')).toBe('unplugged');
    await expect.poll(() => page.getByTestId('webcam-stage').getAttribute('data-status')).toBe('error');
    expect(await page.getByTestId('webcam-canvas').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(artifacts, '07-unplugged.png') });
    // And it recovers when asked.
    const before = await frames(page);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => frames(page), { timeout: 60_000 }).toBeGreaterThan(before + 3);
  });

  it('ran without console warnings, errors or CSP violations', () => {
    expect(consoleErrors).toEqual([]);
  });
});

describe('webcam window without a usable camera', () => {
  it('says the camera was refused when the permission is denied', async () => {
    const denying = await launchBrowser(['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
    try {
      const context = await denying.newContext({ permissions: [] });
      const p = await context.newPage();
      await p.goto(webcamUrl());
      await expect.poll(() => p.getByTestId('webcam-problem').getAttribute('data-problem'), { timeout: 30_000 }).toBe('refused');
      expect(await p.getByTestId('webcam-problem').textContent()).toMatch(/denied/);
      await p.screenshot({ path: path.join(artifacts, '08-refused.png') });
    } finally {
      await denying.close();
    }
  });

  it('says no camera was found when there is none', async () => {
    // No fake device: this machine has no camera at all.
    const bare = await launchBrowser(['--use-fake-ui-for-media-stream']);
    try {
      const p = await bare.newPage({ viewport: { width: 900, height: 600 } });
      await p.goto(webcamUrl());
      await expect.poll(() => p.getByTestId('webcam-problem').getAttribute('data-problem'), { timeout: 30_000 }).toMatch(/absent|busy/);
      await p.screenshot({ path: path.join(artifacts, '09-no-camera.png') });
      expect(await p.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
    } finally {
      await bare.close();
    }
  });
});
