import { TRIMAP_BG, TRIMAP_FG, TRIMAP_UNKNOWN } from '../../shared/strokes';
import type { TrimapProbabilities } from '../inference/preprocess';

/** The T-Net's hard trimap: each pixel's most probable class (ties go to unknown). */
export function trimapFromProbabilities(p: TrimapProbabilities): Uint8Array {
  const { background: b, unknown: u, foreground: f } = p;
  const out = new Uint8Array(u.length);
  for (let i = 0; i < out.length; i++) out[i] = f[i] > u[i] && f[i] > b[i] ? TRIMAP_FG : b[i] > u[i] && b[i] > f[i] ? TRIMAP_BG : TRIMAP_UNKNOWN;
  return out;
}

/** A foreground probability from the T-Net alone (Fs + Us/2), for refinements that read one. */
export function foregroundFromProbabilities(p: TrimapProbabilities): Float32Array {
  const out = new Float32Array(p.foreground.length);
  for (let i = 0; i < out.length; i++) out[i] = p.foreground[i] + 0.5 * p.unknown[i];
  return out;
}
