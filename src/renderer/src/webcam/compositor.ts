/** Draws a frame over a chosen background using its alpha, on a 2D canvas. */
import type { PixelFormat } from '../../../shared/webcam';
import { i420ToInterleaved } from '../../../shared/yuv';

export const backgrounds = [
  { id: 'checker', label: 'Transparent' },
  { id: 'colour', label: 'Colour' },
  { id: 'blur', label: 'Blur' },
  { id: 'paper', label: 'Colour on grey' },
  { id: 'image', label: 'Image' },
  { id: 'matte', label: 'Matte' },
] as const;
export type BackgroundId = (typeof backgrounds)[number]['id'];

/** A camera frame as the page captured it (see capture.ts). */
export interface CompositeFrame {
  width: number;
  height: number;
  format: PixelFormat;
  pixels: Uint8Array | Uint8ClampedArray;
}

export interface CompositeOptions {
  background: BackgroundId;
  colour: string;
  image: ImageBitmap | null;
  mirror: boolean;
}

/** Backgrounds made per pixel in the same pass as the blend (see Compositor.drawFlat). */
const flatBackgrounds: ReadonlySet<BackgroundId> = new Set(['checker', 'colour', 'paper', 'matte']);

/** `#rrggbb` → [r, g, b] (the colour input's value; anything else is black). */
function parseHex(colour: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [0, 0, 0];
}

function canvas(width = 1, height = 1): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

function context(c: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available');
  return ctx;
}

export class Compositor {
  private readonly frame = canvas();
  private readonly person = canvas();
  private personData: ImageData | null = null;
  /** An I420 frame converted to RGBA, reused from frame to frame. */
  private rgbData: ImageData | null = null;
  private checker: CanvasPattern | null = null;

  /** The frame as RGBA ImageData: RGBA pixels are wrapped as they are, I420 converted once. */
  private rgbaOf(frame: CompositeFrame): ImageData {
    const { width, height, pixels } = frame;
    if (frame.format === 'rgba') return new ImageData(new Uint8ClampedArray(pixels.buffer as ArrayBuffer, pixels.byteOffset, width * height * 4), width, height);
    if (!this.rgbData || this.rgbData.width !== width || this.rgbData.height !== height) this.rgbData = new ImageData(width, height);
    i420ToInterleaved(pixels as Uint8Array, width, height, 4, this.rgbData.data);
    return this.rgbData;
  }

  /** Paints `captured` (as sent to the engine) with `alpha` over the background onto `target`. */
  draw(target: HTMLCanvasElement, captured: CompositeFrame, alpha: Uint8Array, options: CompositeOptions): void {
    const frame = this.rgbaOf(captured);
    const { width, height } = frame;
    if (target.width !== width || target.height !== height) {
      target.width = width;
      target.height = height;
    }
    if (flatBackgrounds.has(options.background)) {
      this.drawFlat(target, frame, alpha, options);
      return;
    }
    for (const c of [this.frame, this.person]) {
      if (c.width !== width || c.height !== height) {
        c.width = width;
        c.height = height;
      }
    }
    if (!this.personData || this.personData.width !== width || this.personData.height !== height) this.personData = new ImageData(width, height);
    const src = frame.data;
    const dst = this.personData.data;
    const matte = options.background === 'matte';
    for (let i = 0, j = 0; i < alpha.length; i++, j += 4) {
      if (matte) {
        dst[j] = dst[j + 1] = dst[j + 2] = alpha[i];
        dst[j + 3] = 255;
      } else {
        dst[j] = src[j];
        dst[j + 1] = src[j + 1];
        dst[j + 2] = src[j + 2];
        dst[j + 3] = alpha[i];
      }
    }
    context(this.person).putImageData(this.personData, 0, 0);

    const ctx = context(target);
    ctx.save();
    ctx.clearRect(0, 0, width, height);
    if (options.mirror) ctx.setTransform(-1, 0, 0, 1, width, 0);
    if (!matte) {
      context(this.frame).putImageData(frame, 0, 0);
      this.paintBackground(ctx, width, height, options);
    }
    ctx.filter = 'none';
    ctx.drawImage(this.person, 0, 0);
    ctx.restore();
  }

  /**
   * The backgrounds that are a function of the pixel alone, blended in one JavaScript pass and put
   * with one putImageData. Measured in Chromium without a GPU (bench/webcam-browser.ts), the
   * canvas path (two putImageData, a CSS filter over the frame, two drawImage) was most of the
   * page's CPU per frame. putImageData ignores transforms, so the pass mirrors by itself.
   */
  private drawFlat(target: HTMLCanvasElement, frame: ImageData, alpha: Uint8Array, options: CompositeOptions): void {
    const { width, height } = frame;
    if (!this.personData || this.personData.width !== width || this.personData.height !== height) this.personData = new ImageData(width, height);
    const src = frame.data;
    const dst = this.personData.data;
    const [cr, cg, cb] = parseHex(options.colour);
    const kind = options.background;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const i = row + x;
        const j = 4 * (options.mirror ? row + width - 1 - x : i);
        const a = alpha[i];
        const k = 4 * i;
        dst[j + 3] = 255;
        if (kind === 'matte') {
          dst[j] = dst[j + 1] = dst[j + 2] = a;
          continue;
        }
        const r = src[k];
        const g = src[k + 1];
        const b = src[k + 2];
        let br: number;
        let bg: number;
        let bb: number;
        if (kind === 'paper') {
          // CSS grayscale(1) contrast(0.8) brightness(0.9), as the canvas filter drew it.
          br = bg = bb = ((0.2126 * r + 0.7152 * g + 0.0722 * b - 127.5) * 0.8 + 127.5) * 0.9;
        } else if (kind === 'colour') {
          br = cr;
          bg = cg;
          bb = cb;
        } else {
          // The transparency checkerboard: 12 px squares, #f4f4f4 and #c8c8c8.
          br = bg = bb = ((x / 12) ^ (y / 12)) & 1 ? 0xc8 : 0xf4;
        }
        const w = a / 255;
        dst[j] = br + (r - br) * w;
        dst[j + 1] = bg + (g - bg) * w;
        dst[j + 2] = bb + (b - bb) * w;
      }
    }
    context(target).putImageData(this.personData, 0, 0);
  }

  private paintBackground(ctx: CanvasRenderingContext2D, width: number, height: number, options: CompositeOptions): void {
    switch (options.background) {
      case 'checker':
        ctx.fillStyle = this.checkerPattern(ctx);
        ctx.fillRect(0, 0, width, height);
        break;
      case 'colour':
        ctx.fillStyle = options.colour;
        ctx.fillRect(0, 0, width, height);
        break;
      case 'blur': {
        // Drawn slightly enlarged so the blur does not darken the borders.
        const blur = Math.max(6, Math.round(width / 40));
        ctx.filter = `blur(${blur}px)`;
        ctx.drawImage(this.frame, -blur, -blur, width + 2 * blur, height + 2 * blur);
        break;
      }
      case 'paper':
        // The camera demo look: the person in colour, the scene in flat grey tones.
        ctx.filter = 'grayscale(1) contrast(0.8) brightness(0.9)';
        ctx.drawImage(this.frame, 0, 0);
        break;
      case 'image':
        if (options.image) {
          const { width: iw, height: ih } = options.image;
          const scale = Math.max(width / iw, height / ih);
          ctx.drawImage(options.image, (width - iw * scale) / 2, (height - ih * scale) / 2, iw * scale, ih * scale);
        } else {
          ctx.fillStyle = this.checkerPattern(ctx);
          ctx.fillRect(0, 0, width, height);
        }
        break;
      case 'matte':
        break;
    }
  }

  private checkerPattern(ctx: CanvasRenderingContext2D): CanvasPattern {
    if (!this.checker) {
      const tile = canvas(24, 24);
      const t = context(tile);
      t.fillStyle = '#c8c8c8';
      t.fillRect(0, 0, 24, 24);
      t.fillStyle = '#f4f4f4';
      t.fillRect(0, 0, 12, 12);
      t.fillRect(12, 12, 12, 12);
      this.checker = ctx.createPattern(tile, 'repeat');
    }
    return this.checker as CanvasPattern;
  }
}
