import os from 'node:os';
import { abortError } from '../matting/errors';

/**
 * Memory one image in flight holds per pixel, beyond the worker threads' own (decoded RGB,
 * probability, trimap, float and 8-bit alpha, foreground colours, copies in transit, the PNG
 * being encoded). Measured with the built CLI on four 12 MP photos, guided: peak RSS 877 MB with
 * one image in flight, 1961 MB with four, so about 30 bytes per pixel per extra image.
 */
export const BYTES_PER_PIXEL_IN_FLIGHT = 32;

/** Default share of the machine's memory that images in flight may take: 30 %. */
export function defaultMemoryBudget(): number {
  return Math.floor(os.totalmem() * 0.3);
}

interface Waiter {
  bytes: number;
  resolve(release: () => void): void;
  reject(err: Error): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * Admits images into a batch while the memory they hold fits in a budget, so a batch of large
 * photos runs fewer at a time instead of running out of memory, and small ones run at the full
 * concurrency. First come, first served (a large image is never overtaken for ever); one item is
 * always admitted when nothing is held, however large.
 */
export class MemoryBudget {
  private used = 0;
  private held = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limit: number = defaultMemoryBudget()) {}

  /** Bytes admitted and not yet released. */
  get inUse(): number {
    return this.used;
  }

  /** Resolves with the function that gives the bytes back, once they fit. */
  acquire(bytes: number, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortError(signal.reason));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { bytes: Math.max(0, bytes), resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(abortError(signal.reason));
          this.admit();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiting.push(waiter);
      this.admit();
    });
  }

  /** Runs `work` once the image's share of the budget is free, and gives it back when `work` ends. */
  async run<T>(image: { width: number; height: number }, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(image.width * image.height * BYTES_PER_PIXEL_IN_FLIGHT, signal);
    try {
      return await work();
    } finally {
      release();
    }
  }

  private admit(): void {
    while (this.waiting.length) {
      const next = this.waiting[0];
      if (this.held > 0 && this.used + next.bytes > this.limit) return;
      this.waiting.shift();
      if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
      this.used += next.bytes;
      this.held++;
      let released = false;
      next.resolve(() => {
        if (released) return;
        released = true;
        this.used -= next.bytes;
        this.held--;
        this.admit();
      });
    }
  }
}
