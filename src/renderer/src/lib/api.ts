import type { CallOutcome, EventName, Events, StudioTransport } from '../../../shared/contract';
import { createClient, type StudioClient } from '../../../shared/client';
import { createWsTransport } from './ws-transport';
import { connection } from './connection.svelte';

interface ElectronBridge {
  call(method: string, params: unknown): Promise<CallOutcome>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  mediaBase: string;
}

function electronTransport(bridge: ElectronBridge): StudioTransport {
  return {
    call: (method, params) => bridge.call(method, params) as never,
    on: <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => bridge.on(event, listener as (p: unknown) => void),
    mediaUrl: (ref) => bridge.mediaBase + ref,
  };
}

/** Picks the transport: the preload's bridge inside Electron, the WebSocket in a browser. */
export function connectStudio(): StudioClient {
  const bridge = (globalThis as { shm?: ElectronBridge }).shm;
  return createClient(bridge ? electronTransport(bridge) : createWsTransport(window.location, (event) => connection.report(event)));
}

export const api = connectStudio();
