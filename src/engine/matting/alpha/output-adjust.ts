import { leavesAlpha, type OutputAdjustments } from '../../../shared/adjustments';
import { makeBoxFilter } from '../filters/box-filter';

/** Three box passes approximate a Gaussian; each pass's radius for a total spread of `radius`. */
function blurPasses(radius: number): number[] {
  const r = Math.max(0, radius) / Math.sqrt(3);
  return [r, r, r].map((x) => Math.round(x));
}

/**
 * Applies the alpha adjustments, in Select and Mask's order: smooth (blur, then re-harden),
 * feather (blur), contrast (steepen around 0.5), shift edge (offset). `alpha` is 0..255 per pixel;
 * `scale` turns full-resolution radii into this raster's pixels (a preview passes its scale).
 * Pure and O(N) whatever the radii (box filters), so the editor runs it live on its preview.
 */
export function adjustAlpha(alpha: Uint8Array | Uint8ClampedArray, width: number, height: number, adj: OutputAdjustments, scale = 1): Uint8Array {
  const out = new Uint8Array(alpha.length);
  if (leavesAlpha(adj)) {
    out.set(alpha);
    return out;
  }
  let a: Float32Array = Float32Array.from(alpha, (v) => v / 255);
  const box = makeBoxFilter(width, height);
  const blur = (src: Float32Array, radius: number): Float32Array => {
    let cur = src;
    for (const r of blurPasses(radius)) if (r > 0) cur = box(cur, r);
    return cur;
  };
  if (adj.smooth > 0) {
    // Blur away the jaggies, then steepen back so the edge stays as hard as it was.
    const radius = (adj.smooth / 10) * scale;
    a = blur(a, radius);
    const gain = 1 + adj.smooth / 25;
    for (let i = 0; i < a.length; i++) a[i] = Math.min(1, Math.max(0, (a[i] - 0.5) * gain + 0.5));
  }
  if (adj.feather > 0) a = blur(a, adj.feather * scale);
  if (adj.contrast > 0) {
    const gain = 1 / Math.max(1e-3, 1 - adj.contrast / 100);
    for (let i = 0; i < a.length; i++) a[i] = (a[i] - 0.5) * gain + 0.5;
  }
  const shift = adj.shiftEdge / 100;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] + shift;
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

/**
 * Edge colours by the decontamination amount: the photo's colours moved `amount` % of the way to
 * the estimated foreground (interleaved RGB, same length).
 */
export function blendForeground(original: Uint8Array, foreground: Uint8Array, amount: number): Uint8Array {
  if (amount >= 100) return foreground;
  if (amount <= 0) return original;
  const t = amount / 100;
  const out = new Uint8Array(original.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(original[i] + t * (foreground[i] - original[i]));
  return out;
}
