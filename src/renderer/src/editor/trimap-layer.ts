import { paintStroke, type BrushStroke } from '../../../shared/strokes';

/** A rectangle of plane pixels, right and bottom exclusive. */
export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Overlay colours per trimap label (RGBA): background red, unknown amber, foreground clear. */
const COLOURS: Record<number, [number, number, number, number]> = {
  0: [214, 48, 49, 255],
  128: [253, 203, 40, 255],
  255: [0, 0, 0, 0],
};

/** Snaps decoded grey values to the three labels (guards against any colour conversion on decode). */
function label(v: number): 0 | 128 | 255 {
  return v < 64 ? 0 : v > 192 ? 255 : 128;
}

export async function loadGreyPlane(url: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load ${url} (${response.status})`);
  const bitmap = await createImageBitmap(await response.blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available');
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const data = new Uint8Array(bitmap.width * bitmap.height);
  for (let i = 0; i < data.length; i++) data[i] = label(rgba[i * 4]);
  bitmap.close();
  return { width: canvas.width, height: canvas.height, data };
}

/**
 * The trimap as the editor shows it: a label plane at preview resolution and its coloured
 * overlay. Strokes are painted here at once (display resolution) while the engine saves them at
 * full resolution; only the stroke's bounding box is recoloured and uploaded, so a segment costs
 * the same on a 24-megapixel photo as on a small one.
 */
export class TrimapLayer {
  width = 0;
  height = 0;
  private plane: Uint8Array = new Uint8Array(0);
  private auto: Uint8Array | undefined;
  private pixels: ImageData | null = null;
  private ctx: CanvasRenderingContext2D | null = null;
  /** The part of the plane changed since the last takeDirty() (the live preview resamples only that). */
  private dirty: Rect | null = null;

  attach(canvas: HTMLCanvasElement): void {
    this.ctx = canvas.getContext('2d');
    if (this.pixels && this.ctx) {
      canvas.width = this.width;
      canvas.height = this.height;
      this.ctx.putImageData(this.pixels, 0, 0);
    }
  }

  async load(trimapUrl: string, autoUrl: string): Promise<void> {
    const [trimap, auto] = await Promise.all([loadGreyPlane(trimapUrl), loadGreyPlane(autoUrl)]);
    this.width = trimap.width;
    this.height = trimap.height;
    this.plane = trimap.data;
    this.auto = auto.width === trimap.width && auto.height === trimap.height ? auto.data : undefined;
    this.pixels = new ImageData(this.width, this.height);
    this.dirty = { left: 0, top: 0, right: this.width, bottom: this.height };
    this.recolour(0, 0, this.width, this.height);
    const canvas = this.ctx?.canvas;
    if (canvas && this.ctx) {
      canvas.width = this.width;
      canvas.height = this.height;
      this.ctx.putImageData(this.pixels, 0, 0);
    }
  }

  /** The label plane as painted now, and the part of it changed since the last call. */
  takeDirty(): { width: number; height: number; labels: Uint8Array; dirty: Rect | null } {
    const dirty = this.dirty;
    this.dirty = null;
    return { width: this.width, height: this.height, labels: this.plane, dirty };
  }

  /** Label at a preview pixel (for tests and the status bar). */
  at(x: number, y: number): number {
    return this.plane[Math.floor(y) * this.width + Math.floor(x)];
  }

  /** Paints a stroke given in full-resolution image pixels; `scale` = preview px per image px. */
  paint(stroke: BrushStroke, scale: number): void {
    if (!this.pixels) return;
    paintStroke(this.plane, this.width, this.height, stroke, { scale, ...(this.auto ? { auto: this.auto } : {}) });
    const r = stroke.radius * scale + 2;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [x, y] of stroke.points) {
      x0 = Math.min(x0, x * scale - r);
      y0 = Math.min(y0, y * scale - r);
      x1 = Math.max(x1, x * scale + r);
      y1 = Math.max(y1, y * scale + r);
    }
    const left = Math.max(0, Math.floor(x0));
    const top = Math.max(0, Math.floor(y0));
    const right = Math.min(this.width, Math.ceil(x1));
    const bottom = Math.min(this.height, Math.ceil(y1));
    if (right <= left || bottom <= top) return;
    const d = this.dirty;
    this.dirty = d ? { left: Math.min(d.left, left), top: Math.min(d.top, top), right: Math.max(d.right, right), bottom: Math.max(d.bottom, bottom) } : { left, top, right, bottom };
    this.recolour(left, top, right, bottom);
    this.ctx?.putImageData(this.pixels, 0, 0, left, top, right - left, bottom - top);
  }

  private recolour(left: number, top: number, right: number, bottom: number): void {
    const out = this.pixels!.data;
    for (let y = top; y < bottom; y++) {
      for (let x = left; x < right; x++) {
        const i = y * this.width + x;
        const c = COLOURS[this.plane[i]] ?? COLOURS[128];
        out[i * 4] = c[0];
        out[i * 4 + 1] = c[1];
        out[i * 4 + 2] = c[2];
        out[i * 4 + 3] = c[3];
      }
    }
  }
}
