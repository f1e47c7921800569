/**
 * Bilinear resampling with pixel-centre alignment (the "half pixel" convention), on interleaved
 * float planes. Source region (sx, sy, sw, sh) maps onto the whole destination.
 */
export function resizeBilinear(
  src: ArrayLike<number>,
  srcW: number,
  srcH: number,
  channels: number,
  dstW: number,
  dstH: number,
  region: { x: number; y: number; w: number; h: number } = { x: 0, y: 0, w: srcW, h: srcH },
): Float32Array {
  const out = new Float32Array(dstW * dstH * channels);
  const fx = region.w / dstW;
  const fy = region.h / dstH;
  for (let y = 0; y < dstH; y++) {
    const syf = Math.min(Math.max(region.y + (y + 0.5) * fy - 0.5, region.y), region.y + region.h - 1);
    const y0 = Math.floor(syf);
    const y1 = Math.min(y0 + 1, region.y + region.h - 1);
    const wy = syf - y0;
    for (let x = 0; x < dstW; x++) {
      const sxf = Math.min(Math.max(region.x + (x + 0.5) * fx - 0.5, region.x), region.x + region.w - 1);
      const x0 = Math.floor(sxf);
      const x1 = Math.min(x0 + 1, region.x + region.w - 1);
      const wx = sxf - x0;
      const a = (y0 * srcW + x0) * channels;
      const b = (y0 * srcW + x1) * channels;
      const c = (y1 * srcW + x0) * channels;
      const d = (y1 * srcW + x1) * channels;
      const o = (y * dstW + x) * channels;
      for (let k = 0; k < channels; k++) {
        const top = src[a + k] + (src[b + k] - src[a + k]) * wx;
        const bottom = src[c + k] + (src[d + k] - src[c + k]) * wx;
        out[o + k] = top + (bottom - top) * wy;
      }
    }
  }
  return out;
}
