/**
 * A Chromium page driven the way a person's browser runs: Chromium started directly (no
 * Playwright), one page, and only `Runtime.evaluate` sent over the DevTools protocol to read what
 * the page shows. Playwright turns on DevTools' network events for every page it drives, so each
 * WebSocket message is base64-encoded and sent to the test process: a per-byte cost a person's
 * browser does not pay, which the webcam benchmark must not count as the studio's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { browserPath } from '../../test/helpers/browser';

export interface EvaluatingPage {
  /** The value of a JavaScript expression in the page (promises awaited). */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

/** Starts Chromium on `url` with `args` and returns its page; `pid` is Chromium's browser process. */
export async function openDirectPage(url: string, args: string[]): Promise<EvaluatingPage & { pid: number | undefined }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-bench-chromium-'));
  const child = spawn(
    browserPath(),
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--mute-audio',
      '--no-first-run',
      '--disable-sync',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-renderer-backgrounding',
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--window-size=1100,760',
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      ...args,
      url,
    ],
    // Its own process group, so closing ends the renderers and helpers too, not only the browser.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const port = await devtoolsPort(child);
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { type: string; webSocketDebuggerUrl: string }[];
  const target = targets.find((t) => t.type === 'page');
  if (!target) throw new Error('Chromium opened no page');
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  socket.on('message', (raw) => {
    const msg = JSON.parse(String(raw)) as { id?: number; result?: { result?: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }; error?: { message: string } };
    const waiter = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id!);
    if (msg.error) waiter.reject(new Error(msg.error.message));
    else if (msg.result?.exceptionDetails) waiter.reject(new Error(msg.result.exceptionDetails.exception?.description ?? msg.result.exceptionDetails.text));
    else waiter.resolve(msg.result?.result?.value);
  });
  return {
    pid: child.pid,
    evaluate<T>(expression: string) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true, awaitPromise: true } }));
      return new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    },
    async close() {
      socket.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the whole group has ended
      }
      // A helper may still be writing the profile for a moment after it was killed.
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    },
  };
}

/** The port Chromium prints as "DevTools listening on ws://127.0.0.1:<port>/...". */
function devtoolsPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools port:\n${log}`)), 30_000);
    child.stderr!.on('data', (chunk) => {
      log += chunk;
      const match = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited with ${code}:\n${log}`)));
  });
}
