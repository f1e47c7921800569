import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The browser for end-to-end tests: Debian's Chromium by default; set SHM_BROWSER to another
 * Chromium-family executable (Chrome on a Mac or Windows box).
 */
export function browserPath(): string {
  const candidates = [
    process.env.SHM_BROWSER,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`No Chromium found (tried ${candidates.join(', ')}): install Debian's chromium or set SHM_BROWSER`);
  return found;
}

export async function launchBrowser(extraArgs: string[] = [], options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: browserPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
    ...options,
  });
}

export interface RunningWebServer {
  url: string;
  origin: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node out/main/web.js` exactly as `npm run web` does and reads the URL it prints. */
export async function startBuiltWebServer(appDataDir: string, env: Record<string, string> = {}): Promise<RunningWebServer> {
  const entry = path.resolve('out/main/web.js');
  if (!fs.existsSync(entry)) throw new Error('out/main/web.js is missing: run `npm run build` first (npm test does)');
  const child = spawn(process.execPath, [entry, '--app-data', appDataDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (c) => (log += c));
  child.stderr!.on('data', (c) => (log += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web server did not print its URL:\n${log}`)), 30_000);
    const check = () => {
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`web server exited with ${code}:\n${log}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    output: () => log,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** A second client of a running browser-mode server, speaking to it as the page does (cookie + Origin). */
export async function engineClient(server: Pick<RunningWebServer, 'url' | 'origin'>): Promise<{ call(method: string, params: unknown): Promise<unknown>; close(): void }> {
  const { default: WebSocket } = await import('ws');
  const token = new URL(server.url).searchParams.get('token');
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api`, { headers: { Origin: server.origin, Cookie: `shm_token=${token}` } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let nextId = 1;
  return {
    call(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const onMessage = (data: unknown) => {
          const message = JSON.parse(String(data)) as { type: string; id: number; outcome: { ok: boolean; value?: unknown; error?: { code: string; message: string } } };
          if (message.type !== 'result' || message.id !== id) return;
          ws.off('message', onMessage);
          if (message.outcome.ok) resolve(message.outcome.value);
          else reject(new Error(`${method}: ${message.outcome.error?.code} ${message.outcome.error?.message}`));
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}

export interface StudioPage {
  root: string;
  server: RunningWebServer;
  browser: Browser;
  page: Page;
  /** Console errors and page errors seen so far. */
  consoleErrors: string[];
  /** Console warnings and errors and page errors seen so far ("type: text"): a calm walk has none. */
  consoleProblems: string[];
  /** Saves a screenshot as test-results/e2e/<suite>/<name>.png. */
  shot(name: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * One end-to-end session: a temporary folder, the built browser-mode server with its own app
 * data, Chromium with a page at the server's URL, and a screenshot folder for the suite.
 */
export async function openStudioPage(
  suite: string,
  options: { env?(root: string): Record<string, string>; viewport?: { width: number; height: number }; prepare?(root: string): Promise<void> } = {},
): Promise<StudioPage> {
  const fsp = await import('node:fs/promises');
  const os = await import('node:os');
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), `shm-e2e-${suite}-`));
  const artifacts = path.resolve('test-results/e2e', suite);
  await fsp.mkdir(artifacts, { recursive: true });
  await options.prepare?.(root);
  const server = await startBuiltWebServer(path.join(root, 'app-data'), options.env?.(root));
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 800 } });
  const consoleErrors: string[] = [];
  const consoleProblems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('console', (m) => (m.type() === 'warning' || m.type() === 'error') && consoleProblems.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => {
    consoleErrors.push(e.message);
    consoleProblems.push(`pageerror: ${e.message}`);
  });
  const session: StudioPage = {
    root,
    server,
    browser,
    page,
    consoleErrors,
    consoleProblems,
    shot: (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`) }),
    async close() {
      await browser.close();
      await session.server.stop();
      await fsp.rm(root, { recursive: true, force: true });
    },
  };
  return session;
}

/**
 * The first steps of most editor walks: a new project in `<root>/project`, the photos of
 * `<root>/<folder>` imported (expecting `tiles` of them), the first opened in the editor on its
 * automatic trimap, with refinement on pause switched off (the test refines when it chooses).
 */
export async function openFirstPhotoInEditor(studio: StudioPage, options: { folder?: string; tiles?: number; timeoutMs?: number } = {}): Promise<void> {
  const { page } = studio;
  const timeout = options.timeoutMs ?? 60_000;
  await page.goto(studio.server.url);
  await page.getByLabel('Project folder').fill(path.join(studio.root, 'project'));
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByLabel(/Import folders or files/).fill(path.join(studio.root, options.folder ?? 'photos'));
  await page.getByLabel(/Import folders or files/).press('Enter');
  await expect.poll(() => page.getByTestId('image-tile').count(), { timeout }).toBe(options.tiles ?? 1);
  await page.getByTestId('image-tile').first().dblclick();
  await expect.poll(() => page.getByTestId('trimap-version').textContent(), { timeout: 2 * timeout }).toBe('edit 0 of 0');
  await page.getByRole('checkbox', { name: 'Auto' }).uncheck();
}
