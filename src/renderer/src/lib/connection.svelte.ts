export type ConnectionEvent = 'online' | 'offline';

/**
 * Whether the page can reach the engine. The browser-mode transport reports each socket opening
 * and closing here; the banner reads `online`, and `onRestored` callbacks re-sync the studio after
 * a loss (events sent while the socket was down never arrived).
 */
export class ConnectionState {
  online = $state(true);
  /** Set once a connection was lost, so the first opening is not taken for a return. */
  private lost = false;
  private readonly restored: (() => void)[] = [];

  report(event: ConnectionEvent): void {
    if (event === 'offline') {
      this.online = false;
      this.lost = true;
      return;
    }
    this.online = true;
    if (!this.lost) return;
    this.lost = false;
    for (const callback of this.restored) callback();
  }

  onRestored(callback: () => void): () => void {
    this.restored.push(callback);
    return () => {
      const at = this.restored.indexOf(callback);
      if (at >= 0) this.restored.splice(at, 1);
    };
  }
}

export const connection = new ConnectionState();
