import { TRIMAP_BACKGROUND, TRIMAP_FOREGROUND, TRIMAP_UNKNOWN, type Trimap } from '../imaging/raster';
import { erode } from '../matting';

/**
 * Where the filter can change nothing: pixels whose whole neighbourhood (radius px at the working
 * resolution) is confidently foreground or background stay known; the rest is the band the
 * guided filter evaluates. Saves most of the frame-resolution work on a typical frame.
 */
export function bandTrimap(prob: Float32Array, width: number, height: number, radius: number, confident = 0.98): Trimap {
  const n = width * height;
  const fg = new Uint8Array(n);
  const bg = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    fg[i] = prob[i] >= confident ? 1 : 0;
    bg[i] = prob[i] <= 1 - confident ? 1 : 0;
  }
  const sureFg = erode(fg, width, height, radius);
  const sureBg = erode(bg, width, height, radius);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = sureFg[i] ? TRIMAP_FOREGROUND : sureBg[i] ? TRIMAP_BACKGROUND : TRIMAP_UNKNOWN;
  return out;
}

/** Nearest-neighbour enlargement of a working-resolution trimap to frame resolution. */
export function enlargeTrimap(low: Trimap, lowWidth: number, lowHeight: number, width: number, height: number, out: Uint8Array = new Uint8Array(width * height)): Trimap {
  const xs = new Int32Array(width);
  for (let x = 0; x < width; x++) xs[x] = Math.min(lowWidth - 1, Math.floor(((x + 0.5) * lowWidth) / width));
  for (let y = 0; y < height; y++) {
    const src = Math.min(lowHeight - 1, Math.floor(((y + 0.5) * lowHeight) / height)) * lowWidth;
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = low[src + xs[x]];
  }
  return out;
}
