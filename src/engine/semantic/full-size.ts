import { axisTaps } from '../inference/resize';
import { nearestLookup } from './working-image';

/** A probability map at the resolution the band was planned at, and its unknown band (1 = band). */
export interface PlannedMap {
  width: number;
  height: number;
  prob: Float32Array;
  unknown: Uint8Array;
}

/**
 * The full-size trimap and probability of a band planned on a smaller map, in one pass that reads
 * only the small map. Each full-size pixel takes the trimap value of its nearest planned pixel
 * (unknown, else foreground at or above `threshold`; NaN is background), and its probability is
 * the bilinear upsample of the small map (equal to resizeBilinear's) inside the band, the nearest
 * small pixel's value outside it.
 *
 * Why that is enough: the band covers every planned pixel within 2 px of a class change, so a
 * pixel outside it has all its bilinear taps on one side of the threshold, and the bilinear
 * value lands on that side too: the trimap is the one a full upsample would give, at the cost of
 * one lookup per planned pixel instead of a 2 MP upsample and a 2 MP threshold. Full-size rows
 * that share their nearest planned row are copies, apart from the band's bilinear values.
 */
export function paintFullSize(map: PlannedMap, threshold: number, width: number, height: number): { trimap: Uint8Array; prob: Float32Array } {
  const { width: pw, height: ph, prob: p, unknown } = map;
  const trimap = new Uint8Array(width * height);
  const prob = new Float32Array(width * height);
  const { cols, rows } = nearestLookup(width, height, pw, ph);
  const xs = axisTaps(0, pw, width);
  const ys = axisTaps(0, ph, height);
  // Full-size columns starts[c] .. starts[c + 1] - 1 have planned column c nearest (cols only grows).
  const starts = new Int32Array(pw + 1).fill(width);
  for (let x = width - 1; x >= 0; x--) starts[cols[x]] = x;
  // A planned column no full-size column is nearest to (a smaller full size) gets an empty run.
  for (let c = pw - 1; c >= 0; c--) if (starts[c] > starts[c + 1]) starts[c] = starts[c + 1];
  // The band's columns in the current planned row (the same for every full-size row copied from it).
  const band = new Int32Array(width);
  let inBand = 0;
  let planRow = -1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    if (rows[y] === planRow) {
      trimap.copyWithin(o, o - width, o);
      prob.copyWithin(o, o - width, o);
    } else {
      planRow = rows[y];
      inBand = 0;
      // Planned pixel by planned pixel, over the run of full-size columns nearest to it.
      for (let c = 0; c < pw; c++) {
        const i = planRow + c;
        const v = p[i];
        const end = o + starts[c + 1];
        if (unknown[i]) {
          for (let k = o + starts[c]; k < end; k++) {
            trimap[k] = 128;
            prob[k] = v;
            band[inBand++] = k - o;
          }
        } else {
          const t = v >= threshold ? 255 : 0;
          for (let k = o + starts[c]; k < end; k++) {
            trimap[k] = t;
            prob[k] = v;
          }
        }
      }
    }
    if (inBand === 0) continue;
    // resizeBilinear's arithmetic: each source row interpolated across, then the two blended down.
    const r0 = ys.i0[y] * pw;
    const r1 = ys.i1[y] * pw;
    const wy = ys.w[y];
    for (let k = 0; k < inBand; k++) {
      const x = band[k];
      const a = xs.i0[x];
      const b = xs.i1[x];
      const wx = xs.w[x];
      const top = p[r0 + a] + (p[r0 + b] - p[r0 + a]) * wx;
      const bottom = p[r1 + a] + (p[r1 + b] - p[r1 + a]) * wx;
      prob[o + x] = top + (bottom - top) * wy;
    }
  }
  return { trimap, prob };
}
