import type { Alpha, Trimap } from '../../imaging/raster';
import { MattingError } from '../errors';

/**
 * SHM fusion (Chen et al. 2018, eq. 1): alpha = Fs + Us * alpha_r, with Fs and Us the T-Net's
 * foreground and unknown probabilities and alpha_r the detail stage's alpha. Clamped to 0..1,
 * NaN-free.
 */
export function fuseShm(fs: Float32Array, us: Float32Array, alphaR: Float32Array): Alpha {
  if (fs.length !== us.length || fs.length !== alphaR.length) {
    throw new MattingError('INVALID_OPTIONS', `Fusion inputs differ in size: ${fs.length}, ${us.length}, ${alphaR.length}`);
  }
  const out = new Float32Array(fs.length);
  for (let i = 0; i < out.length; i++) {
    const v = fs[i] + us[i] * alphaR[i];
    out[i] = v > 0 ? (v < 1 ? v : 1) : 0;
  }
  return out;
}

/** The T-Net probabilities a hard trimap stands for: Fs = [foreground], Us = [unknown]. */
export function shmProbabilitiesFromTrimap(trimap: Trimap): { fs: Float32Array; us: Float32Array } {
  const fs = new Float32Array(trimap.length);
  const us = new Float32Array(trimap.length);
  for (let i = 0; i < trimap.length; i++) {
    const t = trimap[i];
    if (t === 255) fs[i] = 1;
    else if (t !== 0) us[i] = 1;
  }
  return { fs, us };
}

/** Fusion for a hard trimap: known pixels from the trimap, unknown ones from alpha_r. */
export function fuseTrimap(trimap: Trimap, alphaR: Float32Array): Alpha {
  const { fs, us } = shmProbabilitiesFromTrimap(trimap);
  return fuseShm(fs, us, alphaR);
}
