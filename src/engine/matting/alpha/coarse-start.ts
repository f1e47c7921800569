import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import { axisTaps } from '../filters/guided-filter';
import { downscaleRgb, downscaleTrimap } from '../resample';
import { isKnown } from '../validate';

/**
 * A starting alpha for the unknown pixels from a solve at half the resolution, sampled bilinearly
 * at the unknown pixels only. The coarse system has about a quarter of the unknowns and settles
 * the slow, far-reaching part of the answer; what it leaves wrong is local, which CG with
 * incomplete Cholesky removes in a few iterations. (A guided-filter upsampling, as the
 * working-resolution path uses, cost more than the iterations it saved: it filters the whole image.)
 */
export async function coarseStart(
  image: RgbImage,
  trimap: Trimap,
  solve: (image: RgbImage, trimap: Trimap) => Promise<Alpha>,
): Promise<Alpha> {
  const { width, height } = image;
  const lw = Math.max(1, width >> 1);
  const lh = Math.max(1, height >> 1);
  const low = await solve(downscaleRgb(image, lw, lh), downscaleTrimap(trimap, width, height, lw, lh));
  const xs = axisTaps(width, lw);
  const ys = axisTaps(height, lh);
  const guess = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const r0 = ys.i0[y] * lw;
    const r1 = ys.i1[y] * lw;
    const wy = ys.w[y];
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (isKnown(trimap[i])) continue;
      const wx = xs.w[x];
      const top = low[r0 + xs.i0[x]] * (1 - wx) + low[r0 + xs.i1[x]] * wx;
      const bottom = low[r1 + xs.i0[x]] * (1 - wx) + low[r1 + xs.i1[x]] * wx;
      guess[i] = top * (1 - wy) + bottom * wy;
    }
  }
  return guess;
}
