import { inputChannels, type ModelManifest, type TrimapClass } from '../models/manifest.js';
import { placeImage, type Placement } from './geometry.js';
import type { RgbImage } from '../imaging/raster.js';
import { axisTaps, bilinearFromBytes, resizeBilinear } from './resize.js';

/** Trimap class probabilities at image size (each width*height, 0..1). */
export type TrimapProbabilities = Record<TrimapClass, Float32Array>;

export interface PreparedInput {
  data: Float32Array;
  dims: number[];
  placement: Placement;
}

/** Where channel c of network pixel p goes in the tensor: p * pixelStride + c * channelStride. */
interface TensorLayout {
  data: Float32Array;
  pixelStride: number;
  channelStride: number;
  /** Network width: pixel (x, y) is p = y * netW + x. */
  netW: number;
}

/**
 * Image (and, for an M-Net, trimap probabilities) → the network's input tensor, as the manifest
 * says: resize (stretch or letterbox), channel order, (v - mean) / std, NHWC or NCHW. `reuse`, a
 * tensor of the right length no longer in use, is written over (every value is) instead of a new one.
 */
export function preprocess(m: ModelManifest, image: RgbImage, trimap?: TrimapProbabilities, reuse?: Float32Array): PreparedInput {
  const { width: W, height: H, layout, channelOrder, normalize, resize, padValue, trimapChannels } = m.input;
  if (trimapChannels && !trimap) throw new Error(`model ${m.id} needs trimap probabilities`);
  const placement = placeImage(image.width, image.height, W, H, resize);
  const C = inputChannels(m);
  const data = reuse?.length === W * H * C ? reuse : new Float32Array(W * H * C);
  const t: TensorLayout = { data, pixelStride: layout === 'NHWC' ? C : 1, channelStride: layout === 'NHWC' ? 1 : W * H, netW: W };
  // Network channel c reads image channel order[c] and is normalised by mean[c], std[c].
  const order = channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const { mean, std } = normalize;
  const covered = placement.w === W && placement.h === H;
  if (!covered) {
    // Letterbox margins: the pad value, and certain background in the trimap channels.
    const pad = [0, 1, 2].map((c) => (padValue - mean[c]) / std[c]);
    const margin = trimapChannels ? trimapChannels.map((c) => (c === 'background' ? 1 : 0)) : [];
    const values = [...pad, ...margin];
    for (let y = 0; y < H; y++) {
      const rowInside = y >= placement.y && y < placement.y + placement.h;
      for (let x = 0; x < W; x++) {
        if (rowInside && x >= placement.x && x < placement.x + placement.w) continue;
        const o = (y * W + x) * t.pixelStride;
        for (let c = 0; c < values.length; c++) data[o + c * t.channelStride] = values[c];
      }
    }
  }
  // An image already at the network's size (the semantic stage's 256 px squares) is read as it is.
  if (placement.w === image.width && placement.h === image.height) writeBytes(t, image.data, placement, order, mean, std);
  else writeResized(t, image, placement, order, mean, std);
  if (trimapChannels && trimap) {
    const planes = resizeTrimap(trimap, trimapChannels, image.width, image.height, placement);
    for (let y = 0; y < placement.h; y++) {
      for (let x = 0; x < placement.w; x++) {
        const q = y * placement.w + x;
        const o = ((placement.y + y) * W + placement.x + x) * t.pixelStride;
        for (let c = 0; c < 3; c++) data[o + (3 + c) * t.channelStride] = planes[q * 3 + c];
      }
    }
  }
  const dims = layout === 'NHWC' ? [1, H, W, C] : [1, C, H, W];
  return { data, dims, placement };
}

/**
 * The image's bytes at the placement as they are, each channel through a table of its 256
 * normalised values: the division the tensor would store, done once per level instead of per
 * pixel (256 px RGB: 0.81 -> 0.2 ms CPU).
 */
function writeBytes(t: TensorLayout, src: Uint8Array, p: Placement, order: number[], mean: readonly number[], std: readonly number[]): void {
  const level = (c: number) => Float32Array.from({ length: 256 }, (_, v) => (v - mean[c]) / std[c]);
  const [l0, l1, l2] = [level(0), level(1), level(2)];
  const [s0, s1, s2] = order;
  const { data, pixelStride, channelStride, netW } = t;
  for (let y = 0; y < p.h; y++) {
    let o = ((p.y + y) * netW + p.x) * pixelStride;
    for (let q = y * p.w * 3, end = q + p.w * 3; q < end; q += 3, o += pixelStride) {
      data[o] = l0[src[q + s0]];
      data[o + channelStride] = l1[src[q + s1]];
      data[o + 2 * channelStride] = l2[src[q + s2]];
    }
  }
}

/**
 * The image resized into the placement and normalised in one pass from its bytes: each value is
 * resizeBilinear's (the same arithmetic, rounded to float32 as it would store it), then
 * (v - mean) / std, so the tensor is the one a resize and a second pass made, without the
 * float plane between them (the semantic stage's whole frame, 384×256 -> 256²: 2.35 -> 0.7 ms CPU).
 */
function writeResized(t: TensorLayout, image: RgbImage, p: Placement, order: number[], mean: readonly number[], std: readonly number[]): void {
  const { width: sw, height: sh, data: src } = image;
  const xs = axisTaps(0, sw, p.w);
  const ys = axisTaps(0, sh, p.h);
  const { data, pixelStride, channelStride, netW } = t;
  const [s0, s1, s2] = order;
  const [m0, m1, m2] = mean;
  const [d0, d1, d2] = std;
  for (let y = 0; y < p.h; y++) {
    const r0 = ys.i0[y] * sw * 3;
    const r1 = ys.i1[y] * sw * 3;
    const wy = ys.w[y];
    let o = ((p.y + y) * netW + p.x) * pixelStride;
    if (wy === 0) {
      // A row on a source row (the whole frame's squash of a 3:2 working image has only these):
      // the lower row's taps would be blended in with weight 0.
      for (let x = 0; x < p.w; x++, o += pixelStride) {
        const a = r0 + 3 * xs.i0[x];
        const b = r0 + 3 * xs.i1[x];
        const wx = xs.w[x];
        data[o] = (lerp1(src, a + s0, b + s0, wx) - m0) / d0;
        data[o + channelStride] = (lerp1(src, a + s1, b + s1, wx) - m1) / d1;
        data[o + 2 * channelStride] = (lerp1(src, a + s2, b + s2, wx) - m2) / d2;
      }
      continue;
    }
    for (let x = 0; x < p.w; x++, o += pixelStride) {
      const a0 = r0 + 3 * xs.i0[x];
      const b0 = r0 + 3 * xs.i1[x];
      const a1 = r1 + 3 * xs.i0[x];
      const b1 = r1 + 3 * xs.i1[x];
      const wx = xs.w[x];
      data[o] = (bilinearFromBytes(src, a0 + s0, b0 + s0, a1 + s0, b1 + s0, wx, wy) - m0) / d0;
      data[o + channelStride] = (bilinearFromBytes(src, a0 + s1, b0 + s1, a1 + s1, b1 + s1, wx, wy) - m1) / d1;
      data[o + 2 * channelStride] = (bilinearFromBytes(src, a0 + s2, b0 + s2, a1 + s2, b1 + s2, wx, wy) - m2) / d2;
    }
  }
}

/** bilinearFromBytes on a row whose vertical weight is 0: the value across the one row (top + (bottom - top) * 0 is top). */
function lerp1(src: Uint8Array, a: number, b: number, wx: number): number {
  return Math.fround(src[a] + (src[b] - src[a]) * wx);
}

function resizeTrimap(t: TrimapProbabilities, order: readonly TrimapClass[], w: number, h: number, p: Placement): Float32Array {
  const n = w * h;
  for (const c of order) if (t[c].length !== n) throw new Error(`trimap ${c} plane has ${t[c].length} values, image has ${n} pixels`);
  const interleaved = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) interleaved[i * 3 + c] = t[order[c]][i];
  return resizeBilinear(interleaved, w, h, 3, p.w, p.h);
}
