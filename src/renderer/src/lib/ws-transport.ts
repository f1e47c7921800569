import type { CallOutcome, EventName, Events, Result, StudioTransport } from '../../../shared/contract';
import { PendingReplies } from '../../../shared/pending-replies';

/** Reconnection waits: doubling from the first to the last. */
const RETRY_FIRST_MS = 250;
const RETRY_LAST_MS = 4000;

/**
 * Browser mode: calls and events over one WebSocket to the server that served this page. The
 * server's token arrives as an HttpOnly cookie with the page, so nothing here handles it. When
 * the socket closes, it reconnects by itself (events need a socket even when no call is made)
 * and reports each opening and closing to `onConnection`.
 */
export function createWsTransport(location: Location, onConnection?: (event: 'online' | 'offline') => void): StudioTransport {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const pending = new PendingReplies<CallOutcome>();
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let retryMs = RETRY_FIRST_MS;

  const reconnectLater = () => {
    if (retry !== undefined || listeners.size === 0) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(reconnectLater);
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_LAST_MS);
  };

  const connect = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    if (opening) return opening;
    opening = new Promise((resolve, reject) => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`);
      ws.onopen = () => {
        socket = ws;
        opening = null;
        retryMs = RETRY_FIRST_MS;
        onConnection?.('online');
        resolve(ws);
      };
      ws.onerror = () => {
        opening = null;
        reject(new Error('Cannot reach the studio server'));
      };
      ws.onclose = () => {
        if (socket === ws) socket = null;
        opening = null;
        pending.resolveAll({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'The connection to the studio server closed' } });
        onConnection?.('offline');
        reconnectLater();
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as
          | { type: 'result'; id: number; outcome: CallOutcome }
          | { type: 'event'; event: EventName; payload: never };
        if (data.type === 'result') pending.take(data.id)?.resolve(data.outcome);
        else {
          for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
        }
      };
    });
    return opening;
  };

  return {
    async call(method, params) {
      let ws: WebSocket;
      try {
        ws = await connect();
      } catch (err) {
        return { ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: (err as Error).message } };
      }
      const { id, reply } = pending.open();
      ws.send(JSON.stringify({ id, method, params }));
      // The engine answers each method with its result type (the contract); the wire carries JSON.
      return reply as Promise<CallOutcome<Result<typeof method>>>;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
      void connect().catch(() => {});
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    mediaUrl: (ref) => `/media/${ref}`,
  };
}
