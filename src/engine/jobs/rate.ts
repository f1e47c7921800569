/** Items per second over a sliding window of recent completions, and the time left at that rate. */
export class RateMeter {
  private readonly stamps: number[] = [];
  private readonly window: number;
  private readonly start: number;

  constructor(window = 20, start = performance.now()) {
    this.window = window;
    this.start = start;
  }

  tick(at = performance.now()): void {
    this.stamps.push(at);
    if (this.stamps.length > this.window) this.stamps.shift();
  }

  rate(at = performance.now()): number | undefined {
    const n = this.stamps.length;
    if (n === 0) return undefined;
    // With few samples, measure from the start so the first item's time counts.
    const from = n < this.window ? this.start : this.stamps[0];
    const count = n < this.window ? n : n - 1;
    const seconds = (Math.max(at, this.stamps[n - 1]) - from) / 1000;
    return seconds > 0 && count > 0 ? count / seconds : undefined;
  }

  etaMs(remaining: number, at = performance.now()): number | undefined {
    const r = this.rate(at);
    return r ? Math.round((remaining / r) * 1000) : undefined;
  }
}
