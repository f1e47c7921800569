import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

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
