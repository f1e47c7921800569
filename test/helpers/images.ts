import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

/** Writes a small photo-like image (gradient + disc) that sharp encodes for real. */
export async function writeTestImage(file: string, options: { width?: number; height?: number; seed?: number; format?: 'png' | 'jpeg' | 'webp' } = {}): Promise<string> {
  const { width = 64, height = 48, seed = 1, format = 'png' } = options;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      data[i] = inside ? 220 : (x * 4 + seed * 37) & 255;
      data[i + 1] = inside ? 180 : (y * 4 + seed * 11) & 255;
      data[i + 2] = inside ? 150 : (seed * 53) & 255;
    }
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  await sharp(data, { raw: { width, height, channels: 3 } }).toFormat(format).toFile(file);
  return file;
}
