import { inputChannels, type ModelManifest, type TrimapClass } from '../models/manifest.js';
import { placeImage, type Placement } from './geometry.js';
import type { RgbImage } from '../imaging/raster.js';
import { resizeBilinear } from './resize.js';

/** Trimap class probabilities at image size (each width*height, 0..1). */
export type TrimapProbabilities = Record<TrimapClass, Float32Array>;

export interface PreparedInput {
  data: Float32Array;
  dims: number[];
  placement: Placement;
}

/**
 * Image (and, for an M-Net, trimap probabilities) → the network's input tensor, as the manifest
 * says: resize (stretch or letterbox), channel order, (v - mean) / std, NHWC or NCHW.
 */
export function preprocess(m: ModelManifest, image: RgbImage, trimap?: TrimapProbabilities): PreparedInput {
  const { width: W, height: H, layout, channelOrder, normalize, resize, padValue, trimapChannels } = m.input;
  if (trimapChannels && !trimap) throw new Error(`model ${m.id} needs trimap probabilities`);
  const placement = placeImage(image.width, image.height, W, H, resize);
  // An image already at the network's size (the semantic stage's squares) is read as it is: a
  // resize to the same size gives the same values, at the cost of a pass over every pixel.
  const same = placement.w === image.width && placement.h === image.height;
  const rgb = same ? image.data : resizeBilinear(image.data, image.width, image.height, 3, placement.w, placement.h);
  const planes = trimapChannels && trimap ? resizeTrimap(trimap, trimapChannels, image.width, image.height, placement) : null;
  const C = inputChannels(m);
  const data = new Float32Array(W * H * C);
  const order = channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  // Where channel c of network pixel p goes: p * pixelStride + c * channelStride.
  const pixelStride = layout === 'NHWC' ? C : 1;
  const channelStride = layout === 'NHWC' ? 1 : W * H;
  const [m0, m1, m2] = normalize.mean;
  const [s0, s1, s2] = normalize.std;
  const [o0, o1, o2] = order;
  const pad = [(padValue - m0) / s0, (padValue - m1) / s1, (padValue - m2) / s2];
  for (let y = 0; y < H; y++) {
    const cy = y - placement.y;
    const rowInside = cy >= 0 && cy < placement.h;
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const o = p * pixelStride;
      const cx = x - placement.x;
      const inside = rowInside && cx >= 0 && cx < placement.w;
      const q = cy * placement.w + cx;
      if (inside) {
        data[o] = (rgb[q * 3 + o0] - m0) / s0;
        data[o + channelStride] = (rgb[q * 3 + o1] - m1) / s1;
        data[o + 2 * channelStride] = (rgb[q * 3 + o2] - m2) / s2;
      } else {
        data[o] = pad[0];
        data[o + channelStride] = pad[1];
        data[o + 2 * channelStride] = pad[2];
      }
      if (planes) {
        // Letterbox margins are certain background.
        for (let c = 0; c < 3; c++) data[o + (3 + c) * channelStride] = inside ? planes[q * 3 + c] : trimapChannels?.[c] === 'background' ? 1 : 0;
      }
    }
  }
  const dims = layout === 'NHWC' ? [1, H, W, C] : [1, C, H, W];
  return { data, dims, placement };
}

function resizeTrimap(t: TrimapProbabilities, order: readonly TrimapClass[], w: number, h: number, p: Placement): Float32Array {
  const n = w * h;
  for (const c of order) if (t[c].length !== n) throw new Error(`trimap ${c} plane has ${t[c].length} values, image has ${n} pixels`);
  const interleaved = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) interleaved[i * 3 + c] = t[order[c]][i];
  return resizeBilinear(interleaved, w, h, 3, p.w, p.h);
}
