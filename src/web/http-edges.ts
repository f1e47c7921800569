/**
 * Where a peer's bytes first meet the browser-mode server: request targets, percent-encodings,
 * parser errors and refused upgrades. Each of them answers a bad request and never throws, so no
 * peer can stop the process.
 */
import type { Duplex } from 'node:stream';

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
  503: 'Service Unavailable',
};

/** The request's target as a URL, or null when it is none (`GET http://[`, a port over 65535...). */
export function parseRequestTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

/** Answers on a raw socket (a parser error or an upgrade that is refused) and closes it. */
export function answerRaw(socket: Duplex, status: number): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

/**
 * The server's 'clientError' handler: what Node does by default (431 for oversized headers, 408
 * for a timeout, 400 otherwise), with the socket's own errors (a reset while answering) absorbed.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  answerRaw(socket, err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400);
}
