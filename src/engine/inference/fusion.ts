/**
 * SHM fusion (Chen et al. 2018, eq. 1): alpha = Fs + Us * alpha_r, with Fs and Us the T-Net's
 * foreground and unknown probabilities and alpha_r the M-Net's alpha. Clamped to 0..1.
 */
export function fuseShm(foreground: Float32Array, unknown: Float32Array, alphaR: Float32Array): Float32Array {
  const n = foreground.length;
  if (unknown.length !== n || alphaR.length !== n) throw new Error(`fusion planes differ in size: ${n}, ${unknown.length}, ${alphaR.length}`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = foreground[i] + unknown[i] * alphaR[i];
    out[i] = a < 0 ? 0 : a > 1 ? 1 : a;
  }
  return out;
}
