import { squaredDistanceTo } from '../matting/trimap/morphology';

/** An inclusive pixel box of a w-wide map. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The box of the pixels where mask is set, grown by `margin` px on every side within the w×h frame; null when none is set. */
export function maskBox(mask: Uint8Array, w: number, h: number, margin: number): PixelBox | null {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!mask[row + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return null;
  const m = Math.ceil(margin);
  return { x0: Math.max(0, x0 - m), y0: Math.max(0, y0 - m), x1: Math.min(w - 1, x1 + m), y1: Math.min(h - 1, y1 + m) };
}

/**
 * squaredDistanceTo over `box` alone (the result is box-sized: pixel (x, y) of the map at
 * (y - y0) * boxWidth + x - x0). Exact wherever the nearest seed lies inside the box, and never
 * smaller than the true distance: the callers ask only "is it within r?" of pixels at least r
 * inside the box, where that holds, at the cost of the box instead of the frame.
 */
export function squaredDistanceInBox(seeds: Uint8Array, w: number, box: PixelBox): Float32Array {
  const bw = box.x1 - box.x0 + 1;
  const bh = box.y1 - box.y0 + 1;
  const inside = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    const from = (box.y0 + y) * w + box.x0;
    inside.set(seeds.subarray(from, from + bw), y * bw);
  }
  return squaredDistanceTo(bw, bh, inside);
}
