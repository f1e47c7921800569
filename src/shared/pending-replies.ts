/**
 * The one request/response bookkeeping for every message channel of the studio: numbered
 * requests over a worker port (inference, webcam), the engine process's IPC (Electron's main)
 * and the browser-mode WebSocket (renderer). Each request gets an id and a promise; the reply with
 * that id settles it; when the channel dies, every request still waiting is settled at once, so
 * nothing hangs. No dependencies: it runs in every process.
 */
export interface PendingRequest<T, Extra> {
  resolve(value: T): void;
  reject(error: Error): void;
  /** What the caller kept with the request (for example the size of the frame it asked about). */
  extra: Extra;
}

export class PendingReplies<T, Extra = undefined> {
  private nextId = 1;
  private readonly waiting = new Map<number, PendingRequest<T, Extra>>();

  /** Opens a request: its id (send it with the message) and the promise of its reply. */
  open(...[extra]: Extra extends undefined ? [extra?: Extra] : [extra: Extra]): { id: number; reply: Promise<T> } {
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve, reject, extra: extra as Extra }));
    return { id, reply };
  }

  /** Removes and returns the request a reply names; undefined for an id that is not waiting (late, unknown or forged). */
  take(id: unknown): PendingRequest<T, Extra> | undefined {
    if (typeof id !== 'number') return undefined;
    const request = this.waiting.get(id);
    this.waiting.delete(id);
    return request;
  }

  /** Ends every waiting request with this value (a channel that answers failures as values). */
  resolveAll(value: T): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const request of all) request.resolve(value);
  }

  /** Ends every waiting request with this error. */
  rejectAll(error: Error): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const request of all) request.reject(error);
  }

  get size(): number {
    return this.waiting.size;
  }
}
