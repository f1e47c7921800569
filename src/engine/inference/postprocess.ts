import type { ModelManifest } from '../models/manifest.js';
import type { Placement } from './geometry.js';
import { resizeBilinear } from './resize.js';

export interface OutputTensor {
  data: Float32Array;
  dims: readonly number[];
}

/** Output tensor → interleaved channels at network resolution (NHWC order). */
function toInterleaved(out: OutputTensor, layout: 'NHWC' | 'NCHW'): { data: Float32Array; w: number; h: number; c: number } {
  if (out.dims.length !== 4) throw new Error(`expected a rank-4 output, got [${out.dims.join(', ')}]`);
  if (layout === 'NHWC') {
    const [, h, w, c] = out.dims;
    return { data: out.data, w, h, c };
  }
  const [, c, h, w] = out.dims;
  const data = new Float32Array(w * h * c);
  for (let k = 0; k < c; k++) for (let p = 0; p < w * h; p++) data[p * c + k] = out.data[k * w * h + p];
  return { data, w, h, c };
}

function activate(data: Float32Array, c: number, activation: 'none' | 'sigmoid' | 'softmax'): void {
  if (activation === 'sigmoid') {
    for (let i = 0; i < data.length; i++) data[i] = 1 / (1 + Math.exp(-data[i]));
  } else if (activation === 'softmax') {
    for (let p = 0; p < data.length; p += c) {
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, data[p + k]);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += data[p + k] = Math.exp(data[p + k] - max);
      for (let k = 0; k < c; k++) data[p + k] /= sum;
    }
  }
}

export interface PostprocessOptions {
  /**
   * Clamp to 0..1 (probabilities, alphas) at the network's resolution, before the resize: bilinear
   * weights never leave the range of their inputs, so the planes at image size are in 0..1 too,
   * at a sixteenth of the cost for a 256² network and a 1 MP photo.
   */
  clampUnit?: boolean;
  /**
   * The caller hands over the tensor's data (a session's fresh output): it is activated and
   * clamped in place, and is the plane itself when no resize is needed, instead of a copy (the
   * semantic stage's three 256 KB outputs per photo).
   */
  ownsTensor?: boolean;
}

/**
 * Network output → per-channel planes at image size: activation, crop of the letterbox content,
 * bilinear resize. Returns one Float32Array (width*height) per output channel.
 */
export function postprocess(m: ModelManifest, out: OutputTensor, placement: Placement, imageW: number, imageH: number, options: PostprocessOptions = {}): Float32Array[] {
  const t = toInterleaved(out, m.output.layout);
  const data = options.ownsTensor || t.data !== out.data || (m.output.activation === 'none' && !options.clampUnit) ? t.data : Float32Array.from(t.data);
  activate(data, t.c, m.output.activation);
  if (options.clampUnit) clamp01(data);
  // The output may be coarser or finer than the input: map the content region proportionally.
  const sx = t.w / m.input.width;
  const sy = t.h / m.input.height;
  const region = { x: placement.x * sx, y: placement.y * sy, w: placement.w * sx, h: placement.h * sy };
  const whole = region.x === 0 && region.y === 0 && region.w === t.w && region.h === t.h;
  const resized =
    whole && t.w === imageW && t.h === imageH ? data : resizeBilinear(data, t.w, t.h, t.c, imageW, imageH, region);
  // One channel is already its own plane (unless it is the tensor's own buffer, which stays put).
  if (t.c === 1) return [resized === out.data && !options.ownsTensor ? Float32Array.from(resized) : resized];
  const planes = Array.from({ length: t.c }, () => new Float32Array(imageW * imageH));
  for (let p = 0; p < imageW * imageH; p++) for (let k = 0; k < t.c; k++) planes[k][p] = resized[p * t.c + k];
  return planes;
}

export function clamp01(a: Float32Array): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = a[i] < 0 ? 0 : a[i] > 1 ? 1 : a[i];
  return a;
}
