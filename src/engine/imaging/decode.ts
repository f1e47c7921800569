import fs from 'node:fs';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { ImageError } from './errors';
import { DEFAULT_MAX_PIXELS, MAX_DECODABLE_PIXELS } from './limits';

import type { RgbImage } from './raster';

export type { RgbImage };

export interface ImageInfo {
  /** Display size: after EXIF orientation. */
  width: number;
  height: number;
  format: string;
  space: string;
  depth: string;
  channels: number;
  hasAlpha: boolean;
  orientation: number;
}

export interface DecodeOptions {
  maxPixels?: number;
}

/** sharp's messages for inputs it cannot parse at all, as opposed to parsed-but-damaged files. */
const UNSUPPORTED = /unsupported image format|Input file contains unsupported|Input buffer contains unsupported/i;

function classify(err: unknown, input: string | Buffer): ImageError {
  const message = err instanceof Error ? err.message : String(err);
  const source = describe(input);
  // sharp tells a missing file from an unknown format by reading libvips' error buffer, which
  // concurrent decodes share: under load a vanished file can come back as "unsupported format".
  if (typeof input === 'string' && !fs.existsSync(input)) return new ImageError('UNREADABLE', `${source}: file is missing`, { cause: err });
  if (UNSUPPORTED.test(message)) return new ImageError('NOT_AN_IMAGE', `${source}: not an image sharp can read`, { cause: err });
  if (/Input file is missing/i.test(message)) return new ImageError('UNREADABLE', `${source}: file is missing`, { cause: err });
  if (/ENOENT|EACCES|EISDIR|EPERM/.test(message)) return new ImageError('UNREADABLE', `${source}: ${message}`, { cause: err });
  return new ImageError('CORRUPT', `${source}: damaged image (${message})`, { cause: err });
}

function describe(input: string | Buffer): string {
  return typeof input === 'string' ? input : 'image buffer';
}

/** Reads the header only. Orientations 5-8 swap width and height. */
export async function probeImage(input: string | Buffer, options: DecodeOptions = {}): Promise<ImageInfo> {
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw classify(err, input);
  }
  if (!meta.width || !meta.height || !meta.format) throw new ImageError('NOT_AN_IMAGE', `${describe(input)}: no image size`);
  const orientation = meta.orientation ?? 1;
  const swap = orientation >= 5 && orientation <= 8;
  const info: ImageInfo = {
    width: swap ? meta.height : meta.width,
    height: swap ? meta.width : meta.height,
    format: meta.format,
    space: meta.space ?? 'unknown',
    depth: meta.depth ?? 'uchar',
    channels: meta.channels ?? 3,
    hasAlpha: meta.hasAlpha ?? false,
    orientation,
  };
  const maxPixels = Math.min(options.maxPixels ?? DEFAULT_MAX_PIXELS, MAX_DECODABLE_PIXELS);
  if (info.width * info.height > maxPixels) {
    throw new ImageError(
      'TOO_LARGE',
      `${describe(input)}: ${info.width}×${info.height} is ${(info.width * info.height / 1e6).toFixed(1)} MP, over the limit of ${(maxPixels / 1e6).toFixed(1)} MP`,
    );
  }
  return info;
}

/**
 * A sharp pipeline that yields upright 8-bit sRGB without alpha, whatever the input: EXIF
 * orientation applied, CMYK and greyscale converted, 16-bit reduced, transparency flattened on
 * white (a matte of a cut-out is made against what the user sees).
 */
export function normalisedPipeline(input: string | Buffer): Sharp {
  return sharp(input, { limitInputPixels: false, failOn: 'error' })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb');
}

export async function decodeRgb(input: string | Buffer, options: DecodeOptions = {}): Promise<RgbImage> {
  await probeImage(input, options);
  try {
    const { data, info } = await normalisedPipeline(input).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    throw classify(err, input);
  }
}

/** Decodes an 8-bit single-channel image (trimap or alpha file); colour inputs are reduced to luminance. */
export async function decodeGrey(input: string | Buffer, options: DecodeOptions = {}): Promise<{ data: Uint8Array; width: number; height: number }> {
  await probeImage(input, options);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: false, failOn: 'error' })
      .rotate()
      .flatten({ background: '#000000' })
      .greyscale()
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    throw classify(err, input);
  }
}
