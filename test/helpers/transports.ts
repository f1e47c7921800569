import fs from 'node:fs/promises';
import path from 'node:path';
import { fork } from 'node:child_process';
import WebSocket from 'ws';
import type { CallOutcome, EventName, Events, StudioTransport } from '../../src/shared/contract';
import { createStudio } from '../../src/engine/studio';
import { startWebServer, type WebServer } from '../../src/web/server';
import { EngineClient } from '../../src/main/engine-client';
import { setupIpc, type InvokeEvent } from '../../src/main/ipc';
import { IpcChannel } from '../../src/shared/ipc-channels';
import type { FromEngine } from '../../src/engine/host/protocol';

export interface TransportHarness {
  name: string;
  transport: StudioTransport;
  /** Fetches a media reference the way the transport's pages do. */
  readMedia(ref: string): Promise<{ status: number; mime: string; bytes: Buffer }>;
  close(): Promise<void>;
}

type Listener = (payload: never) => void;

function listenerMap() {
  const map = new Map<EventName, Set<Listener>>();
  return {
    add<E extends EventName>(event: E, fn: (payload: Events[E]) => void) {
      const set = map.get(event) ?? new Set();
      set.add(fn as Listener);
      map.set(event, set);
      return () => void set.delete(fn as Listener);
    },
    emit(event: EventName, payload: unknown) {
      for (const fn of map.get(event) ?? []) fn(payload as never);
    },
  };
}

/** Opens a WebSocket to a browser-mode server the way the studio page does (cookie + Origin). */
export function openSocket(server: WebServer, headers: Record<string, string> = {}): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${server.port}/api`, {
    headers: { Origin: server.origin, Cookie: `shm_token=${server.token}`, ...headers },
  });
}

/** Transport 2: the real browser-mode server on loopback, spoken to over a real WebSocket. */
export async function browserModeHarness(appDataDir: string, rendererDir = path.resolve('out/renderer')): Promise<TransportHarness & { server: WebServer }> {
  const server = await startWebServer({
    rendererDir,
    createStudio: (emit) => createStudio({ appDataDir, shell: 'test', emit }),
  });
  const socket = openSocket(server);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const listeners = listenerMap();
  const pending = new Map<number, (o: CallOutcome) => void>();
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; id: number; outcome: CallOutcome; event: EventName; payload: unknown };
    if (message.type === 'result') {
      pending.get(message.id)?.(message.outcome);
      pending.delete(message.id);
    } else listeners.emit(message.event, message.payload);
  });
  const transport: StudioTransport = {
    call: (method, params) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve as (o: CallOutcome) => void);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    on: (event, fn) => listeners.add(event, fn),
    mediaUrl: (ref) => `${server.origin}/media/${ref}`,
  };
  return {
    name: 'browser mode (HTTP + WebSocket)',
    transport,
    server,
    async readMedia(ref) {
      const res = await fetch(transport.mediaUrl(ref), { headers: { Cookie: `shm_token=${server.token}` } });
      return { status: res.status, mime: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
    },
    async close() {
      socket.close();
      await server.close();
    },
  };
}

/**
 * Transport 1 without the Electron binary: main's real IPC relay (`setupIpc` + `EngineClient`)
 * in front of the real engine host in a child process, which speaks the same protocol as
 * Electron's utilityProcess. Only ipcMain itself is replaced, by a table of handlers that is
 * invoked with the sender frame Electron would report for the studio page.
 */
export async function electronRelayHarness(appDataDir: string, senderUrl = 'file:///app/out/renderer/index.html'): Promise<TransportHarness & { invoke(event: InvokeEvent, ...args: unknown[]): Promise<unknown> }> {
  const child = fork(path.resolve('src/engine/host/node-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SHM_APP_DATA: appDataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const engine = new EngineClient({
    post: (message) => child.send(message),
    onMessage: (listener) => child.on('message', (m) => listener(m as FromEngine)),
    onExit: (listener) => child.on('exit', listener),
    kill: () => child.kill(),
  });
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  setupIpc({ handle: (channel, fn) => handlers.set(channel, fn) }, (m, p) => engine.call(m, p), (url) => url === senderUrl);
  await engine.ready;
  const listeners = listenerMap();
  engine.onEvent((event, payload) => listeners.emit(event, payload));
  const invoke = async (event: InvokeEvent, ...args: unknown[]) => handlers.get(IpcChannel.call)!(event, ...args);
  return {
    name: 'Electron IPC relay + engine process',
    invoke,
    // What main's shm-media protocol handler does: ask the engine, then read the file.
    async readMedia(ref) {
      const media = await engine.media(ref);
      if (!media) return { status: 404, mime: '', bytes: Buffer.alloc(0) };
      return { status: 200, mime: media.mime, bytes: await fs.readFile(media.file) };
    },
    transport: {
      call: (method, params) => invoke({ senderFrame: { url: senderUrl } }, method, params) as never,
      on: (event, fn) => listeners.add(event, fn),
      mediaUrl: (ref) => `shm-media://media/${ref}`,
    },
    async close() {
      engine.shutdown();
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    },
  };
}
