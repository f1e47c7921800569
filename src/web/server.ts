import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName, Events } from '../shared/contract';
import type { Studio } from '../engine/studio';
import { contentSecurityPolicy } from '../shared/csp';
import { MAX_API_MESSAGE_BYTES, parseClientMessage, type ServerMessage } from './ws-protocol';
import { WEBCAM_FRAMES_PATH } from '../shared/webcam';
import { MAX_WEBCAM_MESSAGE_BYTES, createStudioWebcamEndpoint } from './webcam-socket';
import { decodePathPart } from '../shared/media-path';
import { answerClientError, answerRaw, parseRequestTarget } from './http-edges';

export interface WebServerOptions {
  /** Creates the engine with the server's event sink. */
  createStudio(emit: <E extends EventName>(event: E, payload: Events[E]) => void): Studio;
  /** Built renderer (index.html + assets). */
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  url: string;
  origin: string;
  port: number;
  token: string;
  studio: Studio;
  close(): Promise<void>;
}

const TOKEN_COOKIE = 'shm_token';
const staticTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function sameToken(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return undefined;
}

/**
 * Browser mode: the studio's renderer and API over loopback. Bound to 127.0.0.1 only. Every
 * request must carry the per-run token (in the URL once, then in an HttpOnly SameSite=Strict
 * cookie), name this server in its Host header (no DNS rebinding), and, if it has an Origin, come
 * from this server's own origin.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  const send = (socket: WebSocket, message: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const studio = options.createStudio((event, payload) => {
    for (const socket of sockets) send(socket, { type: 'event', event, payload });
  });

  let origin = '';
  let allowedHosts: string[] = [];
  const rendererRoot = path.resolve(options.rendererDir);
  const csp = contentSecurityPolicy();

  /** Returns an HTTP status to refuse with, or 0 when the request may go on. */
  const refusal = (req: http.IncomingMessage, url: URL): number => {
    if (!allowedHosts.includes(req.headers.host ?? '')) return 403;
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return 403;
    if (sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req.headers.cookie), token)) return 0;
    return 401;
  };

  const server = http.createServer((req, res) => {
    const common = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
    const url = parseRequestTarget(req.url);
    if (!url) {
      res.writeHead(400, { ...common, 'Content-Type': 'text/plain; charset=utf-8' }).end('Malformed request target\n');
      return;
    }
    const status = refusal(req, url);
    if (status) {
      res.writeHead(status, { ...common, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(status === 401 ? 'Missing or wrong token: open the URL that `npm run web` printed.\n' : 'Forbidden\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, common).end();
      return;
    }
    const cookie = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    if (url.pathname.startsWith('/media/')) {
      const ref = decodePathPart(url.pathname.slice('/media/'.length));
      if (ref === null) res.writeHead(400, { ...common, 'Content-Type': 'text/plain; charset=utf-8' }).end('Malformed percent-encoding\n');
      else void serveMedia(ref, res, common);
      return;
    }
    const rel = url.pathname === '/' || url.pathname === '/webcam' ? 'index.html' : url.pathname.slice(1);
    const file = path.resolve(rendererRoot, rel);
    if (!file.startsWith(rendererRoot + path.sep)) {
      res.writeHead(404, common).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { ...common, 'Content-Type': 'text/plain' }).end('Not found\n');
        return;
      }
      res.writeHead(200, {
        ...common,
        'Content-Type': staticTypes[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
        'Set-Cookie': cookie,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });

  const serveMedia = async (ref: string, res: http.ServerResponse, common: Record<string, string>) => {
    try {
      const media = await studio.resolveMedia(ref);
      if (!media) {
        res.writeHead(404, common).end();
        return;
      }
      const stream = fs.createReadStream(media.file);
      stream.once('open', () => res.writeHead(200, { ...common, 'Content-Type': media.mime }));
      stream.once('error', () => {
        if (!res.headersSent) res.writeHead(404, common);
        res.end();
      });
      // A peer that goes away mid-file also closes the file.
      res.once('close', () => stream.destroy());
      stream.pipe(res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { ...common, 'Content-Type': 'text/plain' });
      res.end(`${(err as Error).message}\n`);
    }
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_API_MESSAGE_BYTES });
  // Webcam frames: binary messages on their own socket, with the same checks as /api.
  const webcamWss = new WebSocketServer({ noServer: true, maxPayload: MAX_WEBCAM_MESSAGE_BYTES });
  const webcam = createStudioWebcamEndpoint(studio);
  // A request Node's parser refuses is answered 400 (431, 408) here rather than by default, so a
  // reset during that answer is absorbed too.
  server.on('clientError', answerClientError);
  server.on('upgrade', (req, socket: Duplex, head) => {
    // Until ws takes the socket over, its errors (a peer resetting a refused upgrade) are ours.
    socket.on('error', () => socket.destroy());
    const url = parseRequestTarget(req.url);
    if (!url) {
      answerRaw(socket, 400);
      return;
    }
    const status = url.pathname === '/api' || url.pathname === WEBCAM_FRAMES_PATH ? refusal(req, url) : 404;
    // Browsers always send Origin on a WebSocket handshake; one without it is not our page.
    if (status || req.headers.origin !== origin) {
      answerRaw(socket, status || 403);
      return;
    }
    if (url.pathname === WEBCAM_FRAMES_PATH) {
      webcamWss.handleUpgrade(req, socket, head, (ws) => webcam.accept(ws));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      // A protocol error (bad UTF-8, a reserved opcode, a message over the cap...) closes this
      // socket with its RFC 6455 code (1002, 1007, 1009); without a listener it would end the process.
      ws.on('error', () => undefined);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', async (data, isBinary) => {
        const parsed = parseClientMessage(isBinary ? null : data.toString());
        if (!parsed.ok) {
          send(ws, { type: 'result', id: parsed.id, outcome: { ok: false, error: parsed.error } });
          return;
        }
        const outcome = await studio.dispatch(parsed.message.method, parsed.message.params);
        send(ws, { type: 'result', id: parsed.message.id, outcome });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', (err) => console.error('[web] server error:', err.message));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    studio,
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      webcamWss.close();
      await webcam.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await studio.close();
    },
  };
}
