import { formatDuration } from '../shared/vocabulary';

/** A one-line terminal progress bar, redrawn in place; silent when the stream is not a terminal. */
export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private lastDraw = 0;

  constructor(stream: NodeJS.WriteStream = process.stderr, enabled = stream.isTTY === true) {
    this.stream = stream;
    this.enabled = enabled;
  }

  static format(p: { done: number; total: number; ratePerSec?: number; etaMs?: number; current?: string }, width = 24): string {
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const filled = Math.round(frac * width);
    const rate = p.ratePerSec !== undefined ? ` ${p.ratePerSec.toFixed(2)} img/s` : '';
    const eta = p.etaMs !== undefined ? ` ETA ${formatDuration(p.etaMs)}` : '';
    const current = p.current ? ` ${p.current}` : '';
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}${rate}${eta}${current}`;
  }

  update(p: Parameters<typeof ProgressBar.format>[0], force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const columns = this.stream.columns || 100;
    this.stream.write(`\r\x1b[2K${ProgressBar.format(p).slice(0, columns - 1)}`);
  }

  finish(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }
}
