/**
 * The built browser-mode server (`node out/main/web.js`) as the target of hostile peers: its
 * token, the headers the studio page sends, a health check made of real calls, and a restart
 * when a case killed it (so every case is judged on its own).
 */
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineClient, startBuiltWebServer, type RunningWebServer } from './browser';
import { rawHttp } from './raw-peer';

export interface WebTarget {
  readonly root: string;
  readonly server: RunningWebServer;
  readonly port: number;
  readonly token: string;
  /** What the studio page sends with a request or handshake: its Origin and the token cookie. */
  pageHeaders(): Record<string, string>;
  /** A call over a fresh API socket. */
  call(method: string, params: unknown): Promise<unknown>;
  /** Null when the process runs and answers a page request and an API call; otherwise what failed. */
  health(): Promise<string | null>;
  /**
   * Starts the server again if it is gone or (with `unhealthy`) on its way out; returns how it
   * ended (for the report), or null when it was left running.
   */
  revive(unhealthy?: boolean): Promise<string | null>;
  /** Linux: threads and resident memory of the server process, from /proc. */
  usage(): Promise<{ threads: number; rssMb: number }>;
  stop(): Promise<void>;
}

export async function startWebTarget(name: string): Promise<WebTarget> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `shm-adv-${name}-`));
  const appData = path.join(root, 'app-data');
  let server = await startBuiltWebServer(appData);
  const state = () => {
    const url = new URL(server.url);
    return { port: Number(url.port), token: url.searchParams.get('token') ?? '' };
  };
  const target: WebTarget = {
    root,
    get server() {
      return server;
    },
    get port() {
      return state().port;
    },
    get token() {
      return state().token;
    },
    pageHeaders: () => ({ Origin: server.origin, Cookie: `shm_token=${state().token}` }),
    async call(method, params) {
      const client = await engineClient(server);
      try {
        return await client.call(method, params);
      } finally {
        client.close();
      }
    },
    async health() {
      if (server.child.exitCode !== null || server.child.signalCode !== null) {
        return `server exited (${server.child.exitCode ?? server.child.signalCode}): ${lastLines(server.output())}`;
      }
      const page = await rawHttp(state().port, `GET /?token=${state().token} HTTP/1.1\r\nHost: 127.0.0.1:${state().port}\r\nConnection: close\r\n\r\n`);
      // 404 only while another build replaces out/renderer (the server answered all the same).
      const rebuilding = page.status === 404 && !existsSync(path.resolve('out/renderer/index.html'));
      if (page.status !== 200 && !rebuilding) return `page request answered ${page.status ?? 'nothing'}`;
      try {
        const info = (await target.call('app.info', {})) as { name?: string };
        if (info.name !== 'SHM Studio') return `app.info answered ${JSON.stringify(info)}`;
      } catch (err) {
        return `app.info failed: ${(err as Error).message}`;
      }
      return null;
    },
    async revive(unhealthy = false) {
      const child = server.child;
      const running = () => child.exitCode === null && child.signalCode === null;
      if (running() && !unhealthy) return null;
      // A process that crashed may still be tearing down its threads: give it a moment, then kill it.
      if (running()) await Promise.race([new Promise((resolve) => child.once('exit', resolve)), settle(3000)]);
      if (running()) await server.stop('SIGKILL');
      const ended = `exited (${child.exitCode ?? child.signalCode}): ${lastLines(server.output())}`;
      server = await startBuiltWebServer(appData);
      return ended;
    },
    async usage() {
      const status = await fs.readFile(`/proc/${server.child.pid}/status`, 'utf8');
      const field = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
      return { threads: field('Threads'), rssMb: field('VmRSS') / 1024 };
    },
    async stop() {
      // A server stuck on a peer's account may not end on SIGTERM.
      const killer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
      await server.stop();
      clearTimeout(killer);
      await fs.rm(root, { recursive: true, force: true });
    },
  };
  return target;
}

function lastLines(log: string): string {
  return log.trim().split('\n').slice(-3).join(' | ').slice(0, 400);
}

/** Waits until the server process has exited or `ms` passed (a crash takes a moment to show). */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
