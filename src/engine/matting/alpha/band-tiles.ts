import type { Alpha, RgbImage, Trimap } from '../../imaging/raster';
import { MattingError, throwIfAborted } from '../errors';
import type { MattingContext } from '../progress';
import { isKnown } from '../validate';

export interface TileOptions {
  /** Side of the square cells whose unknown pixels each tile writes. */
  tile: number;
  /** Extra pixels solved around each cell and thrown away, so a cell's edge is not a seam. */
  margin: number;
}

// Measured by the seam test (test/unit/matting/band-tiles.test.ts) against an untiled solve: the
// error a tile's edge carries in from the estimate halves every ~15 px inward, and more slowly
// along thin strands; a 32 px margin left steps of 0.027 across cell edges, 64 px 0.0002 (no veil,
// 96 px cells). Cells of 640 px solve 1.40x the band's unknowns (512 px: 1.53x); on
// bench/large-photo.ts's composites, in-thread, cells of 512 / 640 / 768 / 1024 px took 94.6 /
// 72.9 / 76.5 / 69.3 M unknown-iterations at 48 MP for SAD 234.0 / 233.7 / 232.3 / 233.6, and at
// 12 MP 14.0 / 13.4 / 15.3 / 11.7 M for SAD 30.51 / 30.44 / 30.46 / 30.85. 640 is better than 512
// in both, and leaves ~8 tiles a phase at 48 MP to share among the threads.
export const tileDefaults: TileOptions = { tile: 640, margin: 64 };

/**
 * Solves one tile: `alpha` holds the tile's current estimate, `unknown` marks the pixels to solve;
 * every other pixel is a fixed boundary value. The answer is written into `alpha`, or returned (a
 * solver on another thread, which was handed a copy).
 */
export type TileSolver = (image: RgbImage, unknown: Uint8Array, alpha: Alpha, ctx: MattingContext) => Promise<Alpha | void>;

/** A tile: the cell it writes (x0..x1, y0..y1) inside the region it solves (rx0..rx1, ry0..ry1). */
interface Tile {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  rx0: number;
  ry0: number;
  rx1: number;
  ry1: number;
  /** Unknown pixels in the cell: the tile's share of the work. */
  unknown: number;
  /** Column and row of the cell. */
  cx: number;
  cy: number;
}

// The 5x5 stencil reaches 2 px: a pixel 2 px inside a cut edge has all its windows inside the
// tile, so it sees the same equation as in the whole image; the two outer rows are boundary.
const RING = 2;

function planTiles(trimap: Trimap, width: number, height: number, { tile, margin }: TileOptions): Tile[] {
  const tiles: Tile[] = [];
  for (let y0 = 0; y0 < height; y0 += tile) {
    for (let x0 = 0; x0 < width; x0 += tile) {
      const x1 = Math.min(width, x0 + tile);
      const y1 = Math.min(height, y0 + tile);
      let unknown = 0;
      for (let y = y0; y < y1; y++) for (let i = y * width + x0, end = y * width + x1; i < end; i++) if (!isKnown(trimap[i])) unknown++;
      if (unknown === 0) continue;
      const rx0 = Math.max(0, x0 - margin);
      const ry0 = Math.max(0, y0 - margin);
      tiles.push({ x0, y0, x1, y1, rx0, ry0, rx1: Math.min(width, x1 + margin), ry1: Math.min(height, y1 + margin), unknown, cx: x0 / tile, cy: y0 / tile });
    }
  }
  return tiles;
}

/**
 * Refines the unknown band of a full-resolution alpha tile by tile, from an estimate that is
 * already right at large scale (the working-resolution solve, upsampled). Each tile solves its
 * cell plus a margin with the tile's edge held at the current estimate, and writes back only its
 * cell. Cells go in four phases by the parity of their column and row: a tile reads no cell of its
 * own phase (margin <= tile), so the tiles of a phase are independent and run on as many solvers
 * as given, with the same answer in any order; each later phase starts from its refined neighbours
 * (one multiplicative Schwarz sweep). Memory follows the tile size, not the photo's: the only
 * image-sized buffers are the caller's image, trimap and alpha. Progress counts unknown pixels done.
 */
export async function refineBandInTiles(
  image: RgbImage,
  trimap: Trimap,
  alpha: Alpha,
  solvers: TileSolver | readonly TileSolver[],
  options: Partial<TileOptions> = {},
  ctx: MattingContext = {},
): Promise<Alpha> {
  const opts = { ...tileDefaults, ...options };
  if (!Number.isInteger(opts.tile) || opts.tile < 8 || !Number.isInteger(opts.margin) || opts.margin < 0 || opts.margin > opts.tile) {
    throw new MattingError('INVALID_OPTIONS', `Tiles need an integer side >= 8 and a margin from 0 to the side, got ${opts.tile} and ${opts.margin}`);
  }
  const slots = Array.isArray(solvers) ? solvers : [solvers as TileSolver];
  if (!slots.length) throw new MattingError('INVALID_OPTIONS', 'Tiles need at least one solver');
  const { width, height, data } = image;
  const tiles = planTiles(trimap, width, height, opts);
  const total = tiles.reduce((sum, t) => sum + t.unknown, 0);
  // Shares of the tiles finished, and of those running by their own progress; the bar never steps back.
  let done = 0;
  const running = new Map<Tile, number>();
  let shown = 0;
  const report = (): void => {
    let f = done;
    for (const part of running.values()) f += part;
    shown = Math.max(shown, Math.min(1, f));
    ctx.onProgress?.({ stage: 'tiles', fraction: shown });
  };
  ctx.onProgress?.({ stage: 'tiles', fraction: 0 });

  const solveTile = async (t: Tile, solve: TileSolver): Promise<void> => {
    throwIfAborted(ctx.signal);
    const tw = t.rx1 - t.rx0;
    const th = t.ry1 - t.ry0;
    const tileData = new Uint8Array(tw * th * 3);
    const tileAlpha = new Float32Array(tw * th);
    const unknown = new Uint8Array(tw * th);
    // Cut edges (not the photo's own) keep a ring of boundary pixels.
    const left = t.rx0 > 0 ? RING : 0;
    const top = t.ry0 > 0 ? RING : 0;
    const right = t.rx1 < width ? tw - RING : tw;
    const bottom = t.ry1 < height ? th - RING : th;
    for (let y = 0; y < th; y++) {
      const src = (t.ry0 + y) * width + t.rx0;
      tileData.set(data.subarray(3 * src, 3 * (src + tw)), 3 * y * tw);
      tileAlpha.set(alpha.subarray(src, src + tw), y * tw);
      if (y < top || y >= bottom) continue;
      for (let x = left; x < right; x++) unknown[y * tw + x] = isKnown(trimap[src + x]) ? 0 : 1;
    }
    const share = t.unknown / total;
    running.set(t, 0);
    const solved = await solve({ width: tw, height: th, data: tileData }, unknown, tileAlpha, {
      signal: ctx.signal,
      onProgress:
        ctx.onProgress &&
        ((p) => {
          running.set(t, share * p.fraction);
          report();
        }),
    });
    // A solver on another thread answers with its own copy.
    const out = solved ?? tileAlpha;
    for (let y = t.y0; y < t.y1; y++) {
      for (let x = t.x0, i = y * width + x, j = (y - t.ry0) * tw + (x - t.rx0); x < t.x1; x++, i++, j++) {
        if (isKnown(trimap[i])) continue;
        const a = out[j];
        alpha[i] = a !== a ? alpha[i] : a < 0 ? 0 : a > 1 ? 1 : a;
      }
    }
    running.delete(t);
    done += share;
    report();
  };

  for (const [px, py] of PHASES) {
    // Largest first: a phase ends when its last tile does, so a big tile taken last leaves the
    // other threads idle (the order changes no value: a phase's tiles are independent).
    const queue = tiles.filter((t) => t.cx % 2 === px && t.cy % 2 === py).sort((a, b) => b.unknown - a.unknown);
    let next = 0;
    // Each solver takes the phase's next tile until none is left; the first failure stops the phase.
    await Promise.all(
      slots.map(async (solve) => {
        while (next < queue.length) await solveTile(queue[next++], solve);
      }),
    );
  }
  return alpha;
}

const PHASES: readonly [number, number][] = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
];
