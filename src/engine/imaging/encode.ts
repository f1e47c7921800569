import sharp from 'sharp';

/** Straight (not premultiplied) RGBA PNG from interleaved RGB and a separate alpha plane. */
export async function encodeRgbaPng(rgb: Uint8Array, alpha: Uint8Array, width: number, height: number): Promise<Buffer> {
  const n = width * height;
  if (rgb.length !== n * 3 || alpha.length !== n) throw new RangeError(`encodeRgbaPng: sizes do not match ${width}×${height}`);
  const rgba = Buffer.allocUnsafe(n * 4);
  for (let i = 0, j = 0, k = 0; i < n; i++, j += 3, k += 4) {
    rgba[k] = rgb[j];
    rgba[k + 1] = rgb[j + 1];
    rgba[k + 2] = rgb[j + 2];
    rgba[k + 3] = alpha[i];
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
}

export async function encodeGreyPng(plane: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (plane.length !== width * height) throw new RangeError(`encodeGreyPng: size does not match ${width}×${height}`);
  // Without 'b-w' sharp writes one raw channel as a three-channel PNG.
  return sharp(Buffer.from(plane.buffer, plane.byteOffset, plane.length), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6 })
    .toBuffer();
}

export async function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.length), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}
