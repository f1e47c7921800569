import fs from 'node:fs';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { writeFileAtomic, nodeWriteFs, WriteError, type WriteFs } from '../imaging/atomic-write';
import { encodeGreyPng, encodeRgbaPng, encodeRgbPng } from '../imaging/encode';
import { flatStem, mirroredName, resolveCollision, type CollisionPolicy } from './paths';

/** A matted image ready to write: all planes at the original's full, upright resolution. */
export interface MatteOutput {
  width: number;
  height: number;
  /** The decoded original, interleaved RGB. */
  rgb: Uint8Array;
  /** Straight alpha, 0..255. */
  alpha: Uint8Array;
  /** Decontaminated foreground colours (interleaved RGB); used for the cut-out when present. */
  foreground?: Uint8Array;
  trimap?: Uint8Array;
}

export interface ExportOptions {
  /** A checked output folder (see checkOutputDir). */
  outDir: string;
  /** 'mirror': `<out>/<rel dir>/<stem>.png`; 'dataset': `image/ mask/ trimap/ alpha/ train.txt` as SHM training code reads. */
  layout: 'mirror' | 'dataset';
  collision: CollisionPolicy;
  /** Cut-out colours from the estimated foreground (default true); false keeps the original's colours. */
  decontaminate?: boolean;
  /** Mirror layout: also write the grey alpha as `<alphaDir>/<rel dir>/<stem>.png`. */
  alphaDir?: string;
  /** Mirror layout: also write the trimap as `<trimapDir>/<rel dir>/<stem>.png`. */
  trimapDir?: string;
  /** Injected for tests (a full disk); defaults to the real file system. */
  writeFs?: WriteFs;
}

export interface ExportedFiles {
  /** The RGBA cut-out (mirror) or the dataset image; undefined when skipped by the collision policy. */
  main?: string;
  files: string[];
  skipped: boolean;
}

async function ensureDir(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new WriteError(
      (err as NodeJS.ErrnoException).code === 'ENOSPC' ? 'DISK_FULL' : 'OUTPUT_READ_ONLY',
      dir,
      `Cannot create output folder ${dir}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Writes one image's outputs. Every file is written to a temporary name and renamed, so an error
 * (read-only folder, full disk) leaves no half-written PNG; files of this image already renamed
 * before the error are removed again, so an image is exported completely or not at all.
 * `taken` collects paths claimed in this export run for the collision policy.
 */
export async function exportImage(
  image: { relPath: string },
  matte: MatteOutput,
  options: ExportOptions,
  taken: Set<string> = new Set(),
): Promise<ExportedFiles> {
  const writeFs = options.writeFs ?? nodeWriteFs;
  const { width, height } = matte;
  const colours = options.decontaminate === false || !matte.foreground ? matte.rgb : matte.foreground;
  const plan: { file: string; encode: () => Promise<Buffer> }[] = [];
  let main: string | undefined;

  if (options.layout === 'mirror') {
    main = resolveCollision(path.join(options.outDir, mirroredName(image.relPath)), options.collision, taken);
    if (!main) return { files: [], skipped: true };
    const mainFile = main;
    plan.push({ file: mainFile, encode: () => encodeRgbaPng(colours, matte.alpha, width, height) });
    // Side files follow the main file's (possibly suffixed) name so they stay paired.
    const rel = path.relative(options.outDir, mainFile);
    if (options.alphaDir) plan.push({ file: path.join(options.alphaDir, rel), encode: () => encodeGreyPng(matte.alpha, width, height) });
    if (options.trimapDir && matte.trimap) {
      const trimap = matte.trimap;
      plan.push({ file: path.join(options.trimapDir, rel), encode: () => encodeGreyPng(trimap, width, height) });
    }
  } else {
    const stem = flatStem(image.relPath);
    main = resolveCollision(path.join(options.outDir, 'image', `${stem}.png`), options.collision, taken);
    if (!main) return { files: [], skipped: true };
    const name = path.basename(main);
    const mask = new Uint8Array(matte.alpha.length);
    for (let i = 0; i < mask.length; i++) mask[i] = matte.alpha[i] >= 128 ? 255 : 0;
    const trimap = matte.trimap;
    plan.push({ file: main, encode: () => encodeRgbPng(matte.rgb, width, height) });
    plan.push({ file: path.join(options.outDir, 'mask', name), encode: () => encodeGreyPng(mask, width, height) });
    if (trimap) plan.push({ file: path.join(options.outDir, 'trimap', name), encode: () => encodeGreyPng(trimap, width, height) });
    plan.push({ file: path.join(options.outDir, 'alpha', name), encode: () => encodeGreyPng(matte.alpha, width, height) });
  }
  for (const p of plan) taken.add(p.file);

  const written: string[] = [];
  try {
    for (const p of plan) {
      await ensureDir(path.dirname(p.file));
      await writeFileAtomic(p.file, await p.encode(), writeFs);
      written.push(p.file);
    }
  } catch (err) {
    for (const f of written) fs.rmSync(f, { force: true });
    throw err;
  }
  return { main, files: written, skipped: false };
}

/** Dataset layout: `train.txt` lists the file names present in every folder, one a line, sorted. */
export async function writeTrainList(outDir: string, writeFs: WriteFs = nodeWriteFs): Promise<string> {
  const imageDir = path.join(outDir, 'image');
  const names = fs.existsSync(imageDir) ? fs.readdirSync(imageDir).filter((n) => n.endsWith('.png') && !n.startsWith('.')).sort() : [];
  const file = path.join(outDir, 'train.txt');
  await writeFileAtomic(file, Buffer.from(names.map((n) => `${n}\n`).join('')), writeFs);
  return file;
}
