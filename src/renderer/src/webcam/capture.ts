/**
 * Where the webcam page's frames come from. Where the browser has MediaStreamTrackProcessor
 * (Chromium, Electron), the camera's VideoFrames are read as they are, I420, and copied once into
 * the frame message: no canvas draw, no RGBA readback, and 0.46 MB on the wire at 640x480
 * instead of 1.2 MB. Measured in Chromium without a GPU (bench/webcam-browser.ts), the canvas
 * path's drawImage + getImageData and its larger message were the biggest part of the page's CPU
 * per frame. Elsewhere (or with `?capture=canvas`, to measure both) the video element is drawn
 * on a canvas and read back as RGBA, as before.
 */
import { allocateFrame, type PixelFormat } from '../../../shared/webcam';
import { i420Layout } from '../../../shared/yuv';

/** A camera frame ready to send, and the page's own copy of its pixels for compositing. */
export interface CapturedFrame {
  width: number;
  height: number;
  format: PixelFormat;
  /** The encoded frame message; the link may transfer it, so the page keeps `pixels`. */
  buffer: ArrayBuffer;
  pixels: Uint8Array | Uint8ClampedArray;
}

export interface FrameSource {
  readonly kind: 'track' | 'canvas';
  /** A camera frame has come since the last one taken. */
  readonly fresh: boolean;
  /** Encodes the newest camera frame as message `seq`; null when none is there. */
  take(seq: number, snapshot: boolean): Promise<CapturedFrame | null>;
  close(): void;
}

/** The part of MediaStreamTrackProcessor this page uses (not in TypeScript's DOM library). */
interface TrackProcessor {
  readable: ReadableStream<VideoFrame>;
}
type TrackProcessorConstructor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor;

/** Reads a canvas image source back as an RGBA frame message. */
class CanvasReader {
  private ctx: CanvasRenderingContext2D | null = null;

  read(source: CanvasImageSource, width: number, height: number, seq: number, snapshot: boolean): CapturedFrame {
    if (!this.ctx || this.ctx.canvas.width !== width || this.ctx.canvas.height !== height) {
      const c = document.createElement('canvas');
      c.width = width;
      c.height = height;
      this.ctx = c.getContext('2d', { willReadFrequently: true });
      if (!this.ctx) throw new Error('2D canvas is not available');
    }
    this.ctx.drawImage(source, 0, 0, width, height);
    const image = this.ctx.getImageData(0, 0, width, height);
    const message = allocateFrame(seq, width, height, snapshot, 'rgba');
    message.pixels.set(image.data);
    return { width, height, format: 'rgba', buffer: message.buffer, pixels: image.data };
  }
}

/** The video element's current picture, read through a canvas; fresh on each new video frame. */
class CanvasFrameSource implements FrameSource {
  readonly kind = 'canvas';
  fresh = false;
  private closed = false;
  private readonly reader = new CanvasReader();

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly onFresh: () => void,
  ) {
    this.watch();
  }

  private watch(): void {
    if (this.closed) return;
    const tick = () => {
      if (this.closed) return;
      this.fresh = true;
      this.onFresh();
      this.watch();
    };
    if ('requestVideoFrameCallback' in this.video) this.video.requestVideoFrameCallback(tick);
    else requestAnimationFrame(tick);
  }

  async take(seq: number, snapshot: boolean): Promise<CapturedFrame | null> {
    const video = this.video;
    if (!this.fresh || video.readyState < 2 || !video.videoWidth) return null;
    this.fresh = false;
    return this.reader.read(video, video.videoWidth, video.videoHeight, seq, snapshot);
  }

  close(): void {
    this.closed = true;
  }
}

/** The track's VideoFrames; only the newest is held (holding more stalls the camera's buffer pool). */
class TrackFrameSource implements FrameSource {
  readonly kind = 'track';
  private latest: VideoFrame | null = null;
  private closed = false;
  private readonly reader: ReadableStreamDefaultReader<VideoFrame>;
  /** Frames of another format than I420 (a platform camera's NV12, say) go through a canvas. */
  private readonly fallback = new CanvasReader();

  constructor(
    Processor: TrackProcessorConstructor,
    track: MediaStreamTrack,
    private readonly onFresh: () => void,
  ) {
    this.reader = new Processor({ track, maxBufferSize: 1 }).readable.getReader();
    void this.read();
  }

  get fresh(): boolean {
    return this.latest !== null;
  }

  private async read(): Promise<void> {
    for (;;) {
      let result: ReadableStreamReadResult<VideoFrame>;
      try {
        result = await this.reader.read();
      } catch {
        return; // the track ended: the manager hears it from the track itself
      }
      if (result.done) return;
      if (this.closed) {
        result.value.close();
        return;
      }
      this.latest?.close();
      this.latest = result.value;
      this.onFresh();
    }
  }

  async take(seq: number, snapshot: boolean): Promise<CapturedFrame | null> {
    const frame = this.latest;
    if (!frame) return null;
    this.latest = null;
    try {
      const { width, height } = frame.visibleRect ?? { width: frame.codedWidth, height: frame.codedHeight };
      if (frame.format !== 'I420') return this.fallback.read(frame, width, height, seq, snapshot);
      const message = allocateFrame(seq, width, height, snapshot, 'i420');
      const { cw, u0, v0 } = i420Layout(width, height);
      await frame.copyTo(message.pixels, {
        layout: [
          { offset: 0, stride: width },
          { offset: u0, stride: cw },
          { offset: v0, stride: cw },
        ],
      });
      return { width, height, format: 'i420', buffer: message.buffer, pixels: message.pixels.slice() };
    } finally {
      frame.close();
    }
  }

  close(): void {
    this.closed = true;
    this.latest?.close();
    this.latest = null;
    void this.reader.cancel().catch(() => undefined);
  }
}

/** `?capture=canvas` keeps the canvas path where the track path exists, so the bench can compare both. */
function canvasAsked(): boolean {
  return new URLSearchParams(globalThis.location?.search ?? '').get('capture') === 'canvas';
}

/** The best frame source this browser offers for `stream` (shown in `video`); `onFresh` runs per new camera frame. */
export function openFrameSource(stream: MediaStream, video: HTMLVideoElement, onFresh: () => void): FrameSource {
  const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor }).MediaStreamTrackProcessor;
  const track = stream.getVideoTracks()[0];
  if (Processor && track && !canvasAsked()) return new TrackFrameSource(Processor, track, onFresh);
  return new CanvasFrameSource(video, onFresh);
}
