/** Browser mode must refuse anyone but the studio page it served: token, Origin and Host checks. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { browserModeHarness, openSocket } from '../../helpers/transports';
import type { WebServer } from '../../../src/web/server';

let server: WebServer;
let close: () => Promise<void>;
let root: string;

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: pathname, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
  });
}

/** Resolves with the HTTP status of a refused handshake, or 101 once the socket opened. */
function handshake(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', () => resolve(-1));
  });
}

function nextMessage(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'shm-web-'));
  const renderer = path.join(root, 'renderer');
  await fs.mkdir(renderer);
  await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>SHM Studio</title>');
  await fs.writeFile(path.join(root, 'secret.txt'), 'secret');
  const harness = await browserModeHarness(path.join(root, 'app-data'), renderer);
  server = harness.server;
  close = harness.close;
});
afterAll(async () => {
  await close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('browser-mode server', () => {
  it('listens on loopback only and prints a URL with a long random token', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`${server.origin}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the page with the token, sets an HttpOnly SameSite cookie and a strict CSP', async () => {
    const res = await get(`/?token=${server.token}`, { Host: `127.0.0.1:${server.port}` });
    expect(res.status).toBe(200);
    expect(res.body).toContain('SHM Studio');
    expect(res.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { Cookie: 'shm_token=wrong' })).status).toBe(401);
    expect((await get('/media/thumb/1')).status).toBe(401);
  });

  it('accepts the cookie instead of the URL token', async () => {
    expect((await get('/index.html', { Cookie: `shm_token=${server.token}` })).status).toBe(200);
  });

  it('refuses a foreign Origin and a foreign Host (DNS rebinding) even with the token', async () => {
    expect((await get(`/?token=${server.token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`/?token=${server.token}`, { Host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('never serves files outside the renderer folder', async () => {
    const res = await get('/..%2fsecret.txt', { Cookie: `shm_token=${server.token}` });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('secret');
  });

  it('opens the API socket only for the studio page: token and own Origin', async () => {
    expect(await handshake(openSocket(server))).toBe(101);
    expect(await handshake(openSocket(server, { Cookie: '' }))).toBe(401);
    expect(await handshake(openSocket(server, { Cookie: 'shm_token=nope' }))).toBe(401);
    expect(await handshake(openSocket(server, { Origin: 'http://evil.example' }))).toBe(403);
    expect(await handshake(openSocket(server, { Origin: 'null' }))).toBe(403);
  });

  it('answers malformed frames with a typed error and keeps the connection', async () => {
    const socket = openSocket(server);
    await new Promise((resolve) => socket.once('open', resolve));
    for (const frame of ['not json', '[]', '{"method":"app.info"}', '{"id":"x","method":"app.info"}']) {
      const reply = nextMessage(socket);
      socket.send(frame);
      expect(await reply).toMatchObject({ type: 'result', id: null, outcome: { ok: false, error: { code: 'BAD_REQUEST' } } });
    }
    const binary = nextMessage(socket);
    socket.send(Buffer.from([1, 2, 3]));
    expect(await binary).toMatchObject({ outcome: { ok: false, error: { code: 'BAD_REQUEST' } } });
    const bad = nextMessage(socket);
    socket.send(JSON.stringify({ id: 7, method: 'project.open', params: { path: '' } }));
    expect(await bad).toMatchObject({ type: 'result', id: 7, outcome: { ok: false, error: { code: 'BAD_REQUEST' } } });
    const good = nextMessage(socket);
    socket.send(JSON.stringify({ id: 8, method: 'app.info', params: {} }));
    expect(await good).toMatchObject({ type: 'result', id: 8, outcome: { ok: true, value: { name: 'SHM Studio' } } });
    socket.close();
  });
});
