import type { CallOutcome, EventName } from '../shared/contract';
import type { FromEngine, ToEngine } from '../engine/host/protocol';
import type { MediaFile } from '../engine/studio';
import { PendingReplies } from '../shared/pending-replies';

/** What the relay needs of the engine's process: Electron's UtilityProcess or a forked Node child. */
export interface EngineProcess {
  post(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/**
 * Main's handle on the engine process: numbered requests, their replies, and the engine's events.
 * If the process dies, pending calls end with ENGINE_UNAVAILABLE instead of hanging.
 */
export class EngineClient {
  private readonly pending = new PendingReplies<FromEngine>();
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>();
  private alive = true;
  readonly ready: Promise<void>;

  constructor(private readonly child: EngineProcess) {
    let markReady: () => void = () => {};
    this.ready = new Promise((resolve) => (markReady = resolve));
    child.onMessage((message) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'event') for (const listener of this.listeners) listener(message.event, message.payload);
      else this.pending.take(message.id)?.resolve(message);
    });
    child.onExit((code) => {
      this.alive = false;
      markReady();
      const gone: FromEngine = {
        type: 'result',
        id: 0,
        outcome: { ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: `The engine process stopped (exit code ${code})` } },
      };
      this.pending.resolveAll(gone);
    });
  }

  get running(): boolean {
    return this.alive;
  }

  async call(method: unknown, params: unknown): Promise<CallOutcome> {
    const reply = await this.request((id) => ({ type: 'call', id, method, params }));
    if (reply.type === 'result') return reply.outcome;
    return { ok: false, error: { code: 'INTERNAL', message: 'Unexpected reply from the engine' } };
  }

  async media(ref: string): Promise<MediaFile | null> {
    const reply = await this.request((id) => ({ type: 'media', id, ref }));
    return reply.type === 'media' ? reply.media : null;
  }

  onEvent(listener: (event: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  shutdown(): void {
    if (this.alive) this.child.post({ type: 'shutdown' });
  }

  private async request(make: (id: number) => ToEngine): Promise<FromEngine> {
    await this.ready;
    if (!this.alive) {
      return { type: 'result', id: 0, outcome: { ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'The engine process is not running' } } };
    }
    const { id, reply } = this.pending.open();
    this.child.post(make(id));
    return reply;
  }
}
