/**
 * Planar I420 (a camera's VideoFrame: the Y plane, then U and V at half width and height,
 * rounded up) to interleaved RGB or RGBA, BT.601 limited range as cameras and Chromium's fake
 * device deliver it. One implementation for the webcam page (compositing) and the engine (the
 * frame it segments and the snapshot it saves). Pure: no Node or DOM imports.
 */

/** Fixed-point BT.601 limited-range coefficients, scaled by 2^16. */
const CY = 76309; // 1.164
const CRV = 104597; // 1.596
const CGU = 25675; // 0.392
const CGV = 53279; // 0.813
const CBU = 132201; // 2.017

/** 0..255 lookup for the 16.16 fixed-point sums below (clamped), with 512 of headroom on each side. */
const CLAMP_OFFSET = 512;
const clampTable = (() => {
  const t = new Uint8Array(1024 + 256);
  for (let i = 0; i < t.length; i++) t[i] = Math.min(255, Math.max(0, i - CLAMP_OFFSET));
  return t;
})();

export interface I420Layout {
  /** The chroma planes' width and height (half the frame's, rounded up). */
  cw: number;
  ch: number;
  /** Where the U and V planes start (Y starts at 0, a row of `width` bytes each). */
  u0: number;
  v0: number;
  /** The whole frame's bytes. */
  bytes: number;
}

/** Where the planes of a width x height I420 frame lie: the one statement of the layout. */
export function i420Layout(width: number, height: number): I420Layout {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const u0 = width * height;
  return { cw, ch, u0, v0: u0 + cw * ch, bytes: u0 + 2 * cw * ch };
}

/** The frame's layout; throws when the buffer is too short for the frame. */
function i420Planes(i420: Uint8Array, width: number, height: number): I420Layout {
  const layout = i420Layout(width, height);
  if (i420.length < layout.bytes) throw new RangeError(`an I420 frame of ${width}x${height} needs ${layout.bytes} bytes, got ${i420.length}`);
  return layout;
}

/** Writes the RGB of a pixel at `o`: `c` its luma term (16.16 fixed point, rounding included), `u` and `v` its centred chroma. */
function putRgb(out: Uint8Array | Uint8ClampedArray, o: number, c: number, u: number, v: number): void {
  out[o] = clampTable[((c + CRV * v) >> 16) + CLAMP_OFFSET];
  out[o + 1] = clampTable[((c - CGU * u - CGV * v) >> 16) + CLAMP_OFFSET];
  out[o + 2] = clampTable[((c + CBU * u) >> 16) + CLAMP_OFFSET];
}

/**
 * Writes the frame into `out` with `channels` bytes per pixel (3: RGB; 4: RGBA, opaque).
 * `out` may be a canvas ImageData's Uint8ClampedArray. With `only` (a trimap of the frame), only
 * its unknown pixels (neither 0 nor 255) are written: the engine's guided upsampling reads the
 * full-resolution colours there and nowhere else.
 */
export function i420ToInterleaved(i420: Uint8Array, width: number, height: number, channels: 3 | 4, out: Uint8Array | Uint8ClampedArray, only?: Uint8Array): void {
  const { cw, u0, v0 } = i420Planes(i420, width, height);
  if (out.length < width * height * channels) throw new RangeError(`the output needs ${width * height * channels} bytes, got ${out.length}`);
  for (let y = 0; y < height; y++) {
    const yRow = y * width;
    const cRow = (y >> 1) * cw;
    let o = yRow * channels;
    for (let x = 0; x < width; x++, o += channels) {
      if (only) {
        const k = only[yRow + x];
        if (k === 0 || k === 255) continue;
      }
      const ci = cRow + (x >> 1);
      putRgb(out, o, (i420[yRow + x] - 16) * CY + 32768, i420[u0 + ci] - 128, i420[v0 + ci] - 128);
      if (channels === 4) out[o + 3] = 255;
    }
  }
}

/**
 * The frame at half its width and height (rounded up: the chroma planes' size), each pixel the
 * colour of its 2x2 block's mean Y with the block's own U and V: a quarter of the conversions of
 * the full frame, for the engine's low working resolution.
 */
export function i420ToHalfRgb(i420: Uint8Array, width: number, height: number, out: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const { cw, ch, u0, v0 } = i420Planes(i420, width, height);
  if (out.length < cw * ch * 3) throw new RangeError(`the output needs ${cw * ch * 3} bytes, got ${out.length}`);
  for (let cy = 0; cy < ch; cy++) {
    const y0 = 2 * cy;
    const y1 = Math.min(height - 1, y0 + 1);
    for (let cx = 0; cx < cw; cx++) {
      const x0 = 2 * cx;
      const x1 = Math.min(width - 1, x0 + 1);
      const mean = (i420[y0 * width + x0] + i420[y0 * width + x1] + i420[y1 * width + x0] + i420[y1 * width + x1]) / 4;
      const ci = cy * cw + cx;
      putRgb(out, 3 * ci, Math.round((mean - 16) * CY) + 32768, i420[u0 + ci] - 128, i420[v0 + ci] - 128);
    }
  }
  return { width: cw, height: ch, data: out };
}
