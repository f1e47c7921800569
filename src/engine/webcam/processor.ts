import type { InferenceService } from '../inference/service';
import type { RgbImage } from '../imaging/raster';
import { downscaleRgb, guidedCoefficients, upsampleWithGuide } from '../matting';
import { resizeBilinear } from '../inference/resize';
import type { FrameTimings, PixelFormat, WebcamModelSlot, WebcamProvider } from '../../shared/webcam';
import { TemporalSmoother, type SmoothingOptions } from './smoothing';
import { bandTrimap, enlargeTrimap } from './band';
import { frameToRgb, quantizeAlpha, sharpen, toPlanes } from './pixels';
import { i420ToHalfRgb, i420ToInterleaved } from '../../shared/yuv';
import type { PairStage } from './pair-stage';

/** The fast segmentation model for video (MediaPipe selfie, landscape 144x256). */
export const WEBCAM_MODEL_ID = 'selfie-landscape';

export interface WebcamProcessorOptions {
  modelId: string;
  /** Width of the working resolution (model input and guided-filter coefficients). */
  workWidth: number;
  /** Guided filter radius and regulariser at the working resolution (guide in 0..1). */
  radius: number;
  epsilon: number;
  /** Contrast applied to the smoothed probability before the filter. */
  gain: number;
  smoothing: Partial<SmoothingOptions>;
}

export const webcamProcessorDefaults: WebcamProcessorOptions = {
  modelId: WEBCAM_MODEL_ID,
  workWidth: 160,
  radius: 3,
  epsilon: 2e-3,
  gain: 2,
  smoothing: {},
};

export interface ProcessedFrame {
  width: number;
  height: number;
  /** One byte per pixel at frame resolution. */
  alpha: Uint8Array;
  provider: WebcamProvider;
  /** Which model made the alpha: the automatic segmenter or the chosen pair. */
  model: WebcamModelSlot;
  timings: Omit<FrameTimings, 'transferMs'>;
}

/** Per-size buffers, reused from frame to frame. */
interface Scratch {
  width: number;
  height: number;
  rgb: Uint8Array;
  /** An I420 frame at half size (chroma resolution). */
  half: Uint8Array;
  trimap: Uint8Array;
  alpha: Float32Array;
}

/**
 * One camera stream: segment at a low working resolution with the semantic model, smooth over
 * time, then refine at frame resolution with the fast guided filter (coefficients at the working
 * resolution, evaluated with the full-resolution frame as guide), and quantise to bytes.
 */
export class WebcamProcessor {
  readonly options: WebcamProcessorOptions;
  private readonly smoother: TemporalSmoother;
  private scratch: Scratch | null = null;
  private pair: PairStage | null = null;
  /** The last frame's size (a pair's input size follows the camera's aspect). */
  lastFrame = { width: 640, height: 480 };

  constructor(
    private readonly inference: InferenceService,
    options: Partial<WebcamProcessorOptions> = {},
  ) {
    this.options = { ...webcamProcessorDefaults, ...options };
    this.smoother = new TemporalSmoother(this.options.smoothing);
  }

  /** Working size for a frame: the model's width, the frame's aspect ratio, never larger than the frame. */
  workSize(width: number, height: number): { width: number; height: number } {
    const w = Math.min(width, this.options.workWidth);
    return { width: w, height: Math.max(1, Math.round((height * w) / width)) };
  }

  /** Runs a trained pair from the next frame on (null: the automatic model again). */
  usePair(stage: PairStage | null): void {
    this.pair = stage;
    this.smoother.reset();
  }

  get activePair(): PairStage | null {
    return this.pair;
  }

  /** `pixels` in `format` (RGBA from a canvas, I420 from a camera's VideoFrame). */
  async process(pixels: Uint8Array, width: number, height: number, out?: Uint8Array, format: PixelFormat = 'rgba'): Promise<ProcessedFrame> {
    const t0 = performance.now();
    this.lastFrame = { width, height };
    const s = this.scratchFor(width, height);
    const pair = this.pair;
    const work = this.workSize(width, height);
    // An I420 frame is converted at full resolution only where the guided upsampling reads it
    // (the band's pixels, once the band is known); the working image comes from the half-size
    // frame. At 640x480 this saves most of 6 ms of conversion and downscaling per frame.
    const fromHalf = format === 'i420' && !pair && work.width <= Math.ceil(width / 2);
    const full = fromHalf ? { width, height, data: s.rgb } : frameToRgb(format, pixels, width, height, s.rgb);
    if (pair) return this.processWithPair(pair, full, t0, out);
    let low = full;
    if (fromHalf) {
      const half = i420ToHalfRgb(pixels, width, height, s.half);
      low = half.width === work.width && half.height === work.height ? half : downscaleRgb(half, work.width, work.height);
    } else if (work.width !== width) low = downscaleRgb(full, work.width, work.height);
    const t1 = performance.now();
    const seg = await this.inference.segment(this.options.modelId, low);
    const t2 = performance.now();
    const alpha = this.refine(seg.prob, low, full, s, out, fromHalf ? (band) => i420ToInterleaved(pixels, width, height, 3, s.rgb, band) : undefined);
    const t3 = performance.now();
    return {
      width,
      height,
      alpha,
      provider: seg.provider,
      model: 'auto',
      timings: { modelMs: t2 - t1, refineMs: t1 - t0 + (t3 - t2) },
    };
  }

  /**
   * The pair's path: the frame at the pair's input size, T-Net → M-Net → fusion, and the fused
   * alpha enlarged bilinearly to the frame (the M-Net made the detail: no filter on top of it,
   * and no temporal smoothing, as in the reference implementation's camera demo).
   */
  private async processWithPair(pair: PairStage, full: RgbImage, t0: number, out?: Uint8Array): Promise<ProcessedFrame> {
    const { width, height } = full;
    const { input } = pair;
    const low = input.width === width && input.height === height ? full : downscaleRgb(full, input.width, input.height);
    const t1 = performance.now();
    const r = await pair.run(low);
    const t2 = performance.now();
    const alpha = low === full ? r.alpha : resizeBilinear(r.alpha, low.width, low.height, 1, width, height);
    const bytes = quantizeAlpha(alpha, out ?? new Uint8Array(width * height));
    const t3 = performance.now();
    return { width, height, alpha: bytes, provider: r.provider, model: 'pair', timings: { modelMs: t2 - t1, refineMs: t1 - t0 + (t3 - t2) } };
  }

  /**
   * Smoothing + guided filter + quantisation, on the model's probability at the working size.
   * `fillGuide` writes `full`'s colours where the frame's band trimap is unknown, if they are not there yet.
   */
  refine(prob: Float32Array, low: RgbImage, full: RgbImage, s = this.scratchFor(full.width, full.height), out?: Uint8Array, fillGuide?: (band: Uint8Array) => void): Uint8Array {
    const { radius, epsilon, gain } = this.options;
    const p = sharpen(this.smoother.apply(prob), gain);
    const coefficients = guidedCoefficients(toPlanes(low), p, low.width, low.height, radius, epsilon);
    // Known pixels of the band trimap come out as exact 0/1; only the edge band is filtered.
    const band = enlargeTrimap(bandTrimap(p, low.width, low.height, 2 * radius + 1), low.width, low.height, full.width, full.height, s.trimap);
    fillGuide?.(band);
    upsampleWithGuide(coefficients, full, band, s.alpha);
    return quantizeAlpha(s.alpha, out ?? new Uint8Array(full.width * full.height));
  }

  /** Forgets the previous frames (a new camera or resolution). */
  reset(): void {
    this.smoother.reset();
    this.scratch = null;
  }

  private scratchFor(width: number, height: number): Scratch {
    if (this.scratch && this.scratch.width === width && this.scratch.height === height) return this.scratch;
    this.smoother.reset();
    const n = width * height;
    this.scratch = { width, height, rgb: new Uint8Array(n * 3), half: new Uint8Array(Math.ceil(width / 2) * Math.ceil(height / 2) * 3), trimap: new Uint8Array(n), alpha: new Float32Array(n) };
    return this.scratch;
  }
}
