/**
 * The raster types the matting engine and its callers share. Plain typed arrays so they cross
 * worker boundaries by structured clone or transfer without conversion.
 */

/** 8-bit RGB, interleaved (3 bytes per pixel), rows top to bottom. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** width*height bytes: 0 background, 255 foreground, anything else unknown (128 canonical). */
export type Trimap = Uint8Array;

/** width*height opacities in 0..1. */
export type Alpha = Float32Array;

export const TRIMAP_BACKGROUND = 0;
export const TRIMAP_FOREGROUND = 255;
export const TRIMAP_UNKNOWN = 128;
