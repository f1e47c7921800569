import { downscaleTrimapInto, workingSize } from '../../../engine/matting/resample';
import type { LivePreviewReply, LivePreviewRequest } from './live-preview-protocol';
import type { Rect } from './trimap-layer';

/**
 * The live preview works on at most this many megapixels, shown scaled to the view: the worker's
 * guided refinement took ~150 ms at 2 MP on a busy 2-core machine, half that at 1 MP
 * (bench/live-preview.ts).
 */
const LIVE_MEGAPIXELS = 1;

export interface LiveResult {
  /** The photo with the preview's alpha (straight RGBA) at the working size. */
  cutout: ImageData;
  /** When the request was made (performance.now()), for the latency measure. */
  requestedAt: number;
  /** Worker time for the refinement. */
  ms: number;
}

interface Pending {
  width: number;
  height: number;
  labels: Uint8Array;
  requestedAt: number;
}

/**
 * A fast preview of the alpha while painting: the painted label plane goes to a worker that runs
 * guided refinement at a working size of at most 1 MP; the reply becomes a cut-out of the
 * preview photo. One request is in flight at a time and only the latest waiting one is kept, so a
 * burst of strokes costs one refinement after the current one.
 */
export class LivePreview {
  private worker: Worker | null = null;
  private photo: ImageData | null = null;
  private busy = false;
  private waiting: Pending | null = null;
  private seq = 0;
  /** Replies at or below this sequence number are dropped (a full refinement replaced them). */
  private dropThrough = 0;
  private readonly started = new Map<number, number>();
  /**
   * The labels at the working size, kept up to date from the painted plane one changed rectangle
   * at a time: a stroke on a 24 MP photo resamples its own area, not the 11 MP preview plane.
   */
  private low: Uint8Array | null = null;
  private lowOf = { width: 0, height: 0 };

  constructor(private readonly onResult: (result: LiveResult) => void) {}

  /** Loads the photo the previews are made of (the editor's preview image). */
  async setImage(url: string): Promise<void> {
    this.photo = null;
    this.invalidate();
    const response = await fetch(url);
    if (!response.ok) throw new Error(`The preview image could not be loaded (${response.status})`);
    const bitmap = await createImageBitmap(await response.blob(), { colorSpaceConversion: 'none' });
    const size = workingSize(bitmap.width, bitmap.height, LIVE_MEGAPIXELS);
    const canvas = new OffscreenCanvas(size.width, size.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('2D canvas is not available');
    ctx.drawImage(bitmap, 0, 0, size.width, size.height);
    bitmap.close();
    const photo = ctx.getImageData(0, 0, size.width, size.height);
    const rgb = new Uint8Array(size.width * size.height * 3);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      rgb[i] = photo.data[j];
      rgb[i + 1] = photo.data[j + 1];
      rgb[i + 2] = photo.data[j + 2];
    }
    this.post({ type: 'image', width: size.width, height: size.height, rgb }, [rgb.buffer]);
    this.photo = photo;
    this.low = null;
  }

  /**
   * Asks for a preview of the painted labels; `changed` is the part of them changed since the last
   * request (null: nothing). The labels are resampled to the working size here, so the worker
   * gets a small copy and painting goes on in the original.
   */
  request(width: number, height: number, labels: Uint8Array, changed: Rect | null, requestedAt = performance.now()): void {
    const photo = this.photo;
    if (!photo) {
      // What changed meanwhile is not known later: start from the whole plane next time.
      this.low = null;
      return;
    }
    if (!this.low || this.lowOf.width !== width || this.lowOf.height !== height) {
      this.low = new Uint8Array(photo.width * photo.height);
      this.lowOf = { width, height };
      this.resample(labels, { left: 0, top: 0, right: width, bottom: height });
    } else if (changed) {
      this.resample(labels, changed);
    }
    this.waiting = { width: photo.width, height: photo.height, labels: this.low.slice(), requestedAt };
    this.next();
  }

  /** Working-size labels over `rect` of the plane: known only where every plane pixel of the block agrees. */
  private resample(labels: Uint8Array, rect: Rect): void {
    const { width: lw, height: lh } = this.photo!;
    const { width, height } = this.lowOf;
    // The low-resolution blocks the rectangle touches, and one more on each side.
    const from = (v: number, n: number, m: number) => Math.max(0, Math.floor((v * m) / n) - 1);
    const to = (v: number, n: number, m: number) => Math.min(m, Math.ceil((v * m) / n) + 1);
    const region = { left: from(rect.left, width, lw), top: from(rect.top, height, lh), right: to(rect.right, width, lw), bottom: to(rect.bottom, height, lh) };
    downscaleTrimapInto(this.low!, labels, width, height, lw, lh, region);
  }

  /** Drops every preview asked for so far: a full refinement is on screen now. */
  invalidate(): void {
    this.dropThrough = this.seq;
    this.waiting = null;
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private next(): void {
    if (this.busy || !this.waiting) return;
    const { width, height, labels, requestedAt } = this.waiting;
    this.waiting = null;
    this.busy = true;
    const seq = ++this.seq;
    this.started.set(seq, requestedAt);
    this.post({ type: 'trimap', seq, width, height, labels }, [labels.buffer]);
  }

  private post(message: LivePreviewRequest, transfer: Transferable[]): void {
    this.ensureWorker().postMessage(message, transfer);
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./live-preview.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<LivePreviewReply>) => this.receive(event.data);
    }
    return this.worker;
  }

  private receive(reply: LivePreviewReply): void {
    this.busy = false;
    const requestedAt = this.started.get(reply.seq) ?? performance.now();
    this.started.delete(reply.seq);
    const photo = this.photo;
    if (reply.seq > this.dropThrough && photo && photo.width === reply.width && photo.height === reply.height) {
      const cutout = new ImageData(new Uint8ClampedArray(photo.data), photo.width, photo.height);
      const d = cutout.data;
      for (let i = 0; i < reply.alpha.length; i++) d[i * 4 + 3] = reply.alpha[i];
      this.onResult({ cutout, requestedAt, ms: reply.ms });
    }
    this.next();
  }
}
