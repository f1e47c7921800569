import fs from 'node:fs/promises';
import path from 'node:path';
import { encodeGreyPng, encodeRgbPng } from '../imaging/encode';
import type { RgbImage } from '../imaging/raster';
import type { SemanticResult } from './index';
import type { SmartBand } from './smart-band';
import { cropView, type View } from './views';
import type { Box } from './detector';

/** Outline colours of the views: full frame, squares along the long side, person crop. */
const VIEW_COLOURS: Record<View['kind'], [number, number, number]> = { full: [255, 255, 0], tile: [0, 200, 255], person: [255, 0, 200] };

const toBytes = (plane: Float32Array, scale = 255) => {
  const out = new Uint8Array(plane.length);
  for (let i = 0; i < plane.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(plane[i] * scale)));
  return out;
};

/** Outline colour of a detected face. */
const FACE_COLOUR: [number, number, number] = [0, 255, 0];

/** The working image with each view's rectangle drawn on it (2 px, clipped to the frame), and each face's (fractions of the frame) in green. */
export function drawViews(image: RgbImage, views: View[], faces: readonly Box[] = []): Uint8Array {
  const { width: w, height: h } = image;
  const out = Uint8Array.from(image.data);
  const put = (x: number, y: number, c: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    out.set(c, 3 * (y * w + x));
  };
  const faceRects = faces.map((f) => {
    const x = Math.round(f.x0 * w);
    const y = Math.round(f.y0 * h);
    return { x, y, w: Math.max(1, Math.round(f.x1 * w) - x), h: Math.max(1, Math.round(f.y1 * h) - y), colour: FACE_COLOUR };
  });
  for (const v of [...views.map((view) => ({ ...view, colour: VIEW_COLOURS[view.kind] })), ...faceRects]) {
    const c = v.colour;
    for (let t = 0; t < 2; t++) {
      for (let x = v.x; x < v.x + v.w; x++) {
        put(x, Math.max(0, v.y) + t, c);
        put(x, Math.min(h, v.y + v.h) - 1 - t, c);
      }
      for (let y = v.y; y < v.y + v.h; y++) {
        put(Math.max(0, v.x) + t, y, c);
        put(Math.min(w, v.x + v.w) - 1 - t, y, c);
      }
    }
  }
  return out;
}

/**
 * PNGs of the semantic stage for a developer, under dir/<name>/: probability (merged, working
 * size), views (the working image with each view's rectangle: yellow full frame, blue squares,
 * magenta the person crop found by the first views, green the detected faces), crop-<k>-<kind> (what the model saw),
 * selection (green kept, red cleared), band (the planned radius, white = widest) and trimap.
 */
export class SemanticDebugWriter {
  constructor(
    private readonly dir: string,
    /** The output name of an image (its relative path without extension), or undefined to skip it. */
    private readonly nameOf: (image: RgbImage) => string | undefined,
  ) {}

  private async target(image: RgbImage): Promise<string | null> {
    const name = this.nameOf(image);
    if (!name) return null;
    const dir = path.join(this.dir, name);
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  async semantic(image: RgbImage, r: SemanticResult): Promise<void> {
    const dir = await this.target(image);
    if (!dir) return;
    const { width, height, prob, image: work } = r.work;
    const files: [string, Promise<Buffer>][] = [
      ['probability.png', encodeGreyPng(toBytes(prob), width, height)],
      ['views.png', encodeRgbPng(drawViews(work, r.views, r.faces), width, height)],
    ];
    r.views.forEach((v, k) => {
      const crop = cropView(work, v);
      files.push([`crop-${k}-${v.kind}${v.mirrored ? '-mirrored' : ''}.png`, encodeRgbPng(crop.data, crop.width, crop.height)]);
    });
    if (r.selection && r.selectionSize) {
      const { kept, cleared } = r.selection;
      const rgb = new Uint8Array(kept.length * 3);
      for (let i = 0; i < kept.length; i++) {
        if (kept[i]) rgb[3 * i + 1] = 255;
        else if (cleared[i]) rgb[3 * i] = 255;
      }
      files.push(['selection.png', encodeRgbPng(rgb, r.selectionSize.width, r.selectionSize.height)]);
    }
    await Promise.all(files.map(async ([name, png]) => fs.writeFile(path.join(dir, name), await png)));
  }

  async band(image: RgbImage, band: SmartBand): Promise<void> {
    const dir = await this.target(image);
    if (!dir) return;
    const { radius, width, height } = band.plan;
    let max = 0;
    for (const r of radius) if (r > max) max = r;
    await Promise.all([
      fs.writeFile(path.join(dir, 'band.png'), await encodeGreyPng(toBytes(radius, max > 0 ? 255 / max : 0), width, height)),
      fs.writeFile(path.join(dir, 'trimap.png'), await encodeGreyPng(band.trimap, image.width, image.height)),
    ]);
  }
}
