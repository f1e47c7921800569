/**
 * A simulated retoucher for the learning benchmark: the brush strokes a careful person would paint
 * on an automatic trimap of a synthetic photo whose exact alpha is known. They fix what is wrong
 * and leave what is merely loose:
 * - background and foreground where the trimap says the other, or says unknown more than `slack`
 *   pixels away from the true edge (a band far too wide), with a brush of `radius` kept wholly
 *   inside the true region (as a person keeps a big brush off the edge);
 * - unknown, with a fine brush, over the true edge (fractional alpha: hair, the scarf) where the
 *   trimap says definite, and over any definite mistake the big brush could not reach.
 * Strokes are rows of dabs (a stroke's capsule between two centres), painted in that order; the
 * studio applies them with the same rasteriser (`paintStroke`), so the result here is the
 * project's corrected trimap.
 */
import { paintStroke, TRIMAP_BG, TRIMAP_FG, TRIMAP_UNKNOWN, type BrushStroke } from '../../src/shared/strokes.js';

export interface RetouchOptions {
  /** Radius of the background and foreground brush (image pixels). */
  radius?: number;
  /** An unknown band this far (pixels) from the true edge is left alone. */
  slack?: number;
}

/** The class each pixel of an exact alpha (0..255) belongs to: 0 and 255 are definite, the rest unknown. */
function classes(alpha: Uint8Array): Uint8Array {
  return alpha.map((a) => (a === 0 ? TRIMAP_BG : a === 255 ? TRIMAP_FG : TRIMAP_UNKNOWN));
}

/** For each pixel, whether every pixel within `r` has class `c` (a brush of radius r centred there paints only `c`). */
function inside(target: Uint8Array, width: number, height: number, c: number, r: number): Uint8Array {
  const out = new Uint8Array(target.length);
  const ri = Math.ceil(r);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let ok = target[y * width + x] === c;
      for (let dy = -ri; ok && dy <= ri; dy++) {
        for (let dx = -ri; ok && dx <= ri; dx++) {
          if (dx * dx + dy * dy > r * r) continue;
          const xx = x + dx;
          const yy = y + dy;
          // Outside the photo counts as the class: a brush may run off the border.
          if (xx >= 0 && yy >= 0 && xx < width && yy < height && target[yy * width + xx] !== c) ok = false;
        }
      }
      out[y * width + x] = ok ? 1 : 0;
    }
  }
  return out;
}

/** Strokes that correct `trimap` (0/128/255, width × height) towards the exact `alpha`; `trimap` is left as it was. */
export function retouchStrokes(trimap: Uint8Array, alpha: Uint8Array, width: number, height: number, options: RetouchOptions = {}): BrushStroke[] {
  const radius = options.radius ?? 4;
  const slack = options.slack ?? 3;
  const target = classes(alpha);
  const work = Uint8Array.from(trimap);
  const strokes: BrushStroke[] = [];
  const paint = (stroke: BrushStroke) => {
    paintStroke(work, width, height, stroke);
    strokes.push(stroke);
  };

  // Rows of dabs, r apart, over the pixels of class c a brush of radius r can reach safely (+0.5: a
  // capsule between two such centres stays inside too).
  for (const [tool, c] of [['bg', TRIMAP_BG], ['fg', TRIMAP_FG]] as const) {
    const far = inside(target, width, height, c, slack);
    const safe = inside(target, width, height, c, radius + 0.5);
    const wrong = (i: number) => work[i] !== c && (work[i] !== TRIMAP_UNKNOWN || far[i] === 1);
    const reaches = (x: number, y: number) => {
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (dx * dx + dy * dy <= radius * radius && xx >= 0 && yy >= 0 && xx < width && yy < height && wrong(yy * width + xx)) return true;
        }
      }
      return false;
    };
    for (let y = 0; y < height; y += Math.max(1, Math.floor(radius))) {
      let start = -1;
      const flush = (end: number) => {
        if (start >= 0) paint({ tool, radius, hardness: 1, points: [[start + 0.5, y + 0.5], [end + 0.5, y + 0.5]] });
        start = -1;
      };
      for (let x = 0; x < width; x++) {
        if (safe[y * width + x] && reaches(x, y)) {
          if (start < 0) start = x;
        } else flush(x - 1);
      }
      flush(width - 1);
    }
  }

  // The fine brush (radius 1: a stroke along row y covers rows y-1 to y+1): unknown along the true
  // edge, and over definite mistakes left near it.
  const fine = (i: number) => (target[i] === TRIMAP_UNKNOWN && work[i] !== TRIMAP_UNKNOWN) || (work[i] !== TRIMAP_UNKNOWN && work[i] !== target[i]);
  for (let y = 1; y < height + 1; y += 3) {
    let start = -1;
    const flush = (end: number) => {
      if (start >= 0) paint({ tool: 'unknown', radius: 1, hardness: 1, points: [[start + 0.5, y + 0.5], [end + 0.5, y + 0.5]] });
      start = -1;
    };
    for (let x = 0; x < width; x++) {
      let need = false;
      for (let yy = y - 1; yy <= y + 1; yy++) if (yy >= 0 && yy < height && fine(yy * width + x)) need = true;
      if (need) {
        if (start < 0) start = x;
      } else flush(x - 1);
    }
    flush(width - 1);
  }
  return strokes;
}

/** Pixels whose label is definite and wrong for the exact alpha (what the retoucher removes). */
export function definiteMistakes(trimap: Uint8Array, alpha: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < trimap.length; i++) {
    const t = trimap[i];
    if ((t === TRIMAP_FG && alpha[i] !== 255) || (t === TRIMAP_BG && alpha[i] !== 0)) n++;
  }
  return n;
}

/** Applies strokes to a copy of `trimap` with the studio's rasteriser. */
export function applyStrokes(trimap: Uint8Array, width: number, height: number, strokes: BrushStroke[]): Uint8Array {
  const out = Uint8Array.from(trimap);
  for (const s of strokes) paintStroke(out, width, height, s);
  return out;
}
