import fs from 'node:fs';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { explainWriteError, tempNameFor, writeFileAtomic, nodeWriteFs, WriteError, type WriteFs } from '../imaging/atomic-write';
import { encodeGreyPng, encodeRgbaPng, encodeRgbPng } from '../imaging/encode';
import { sweepExportDebris } from './debris';
import { checkWriteTarget, ExportError, flatStem, mirroredName, resolveCollision, type CollisionPolicy } from './paths';

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
  /**
   * The image was in flight when a run of this export was killed: a file that already holds exactly
   * its main output is its own, completed in place rather than renamed around (`name-1.png`).
   */
  interrupted?: boolean;
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

/** True when `file` holds exactly `bytes`: this image's own output from an earlier or interrupted run. */
function holds(file: string, bytes: Buffer): boolean {
  try {
    const st = fs.statSync(file);
    return st.isFile() && st.size === bytes.length && fs.readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/** Folders already swept of a killed run's temporary files, per export run (keyed by its `taken` set). */
const swept = new WeakMap<Set<string>, Set<string>>();

async function prepareDir(dir: string, taken: Set<string>): Promise<void> {
  await ensureDir(dir);
  const done = swept.get(taken) ?? new Set<string>();
  swept.set(taken, done);
  if (!done.has(dir)) {
    done.add(dir);
    sweepExportDebris([dir], { recursive: false });
  }
}

/**
 * Writes one image's outputs as a unit. Every file is first encoded to a hidden temporary sibling;
 * then the side files (alpha, trimap, mask) are renamed into place and the main file last, so a
 * main file on disk always has its side files. An error removes the temporary files and any file
 * of this image already renamed, so an image is exported completely or not at all; a kill leaves
 * only temporary files, which the next run sweeps from each folder it writes to. Every file's folder must
 * really lie inside its output folder (no symbolic link out of it), and no two outputs of the
 * export may share a path. `taken` collects paths claimed in this export run.
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
  const plan: { file: string; root: string; encode: () => Promise<Buffer> }[] = [];
  let main: string | undefined;
  // The main file is encoded first: after a kill, a file with exactly its bytes is this image's own.
  const mainBytes = options.layout === 'mirror' ? await encodeRgbaPng(colours, matte.alpha, width, height) : await encodeRgbPng(matte.rgb, width, height);
  const isOwn = options.interrupted ? (file: string) => holds(file, mainBytes) : undefined;

  if (options.layout === 'mirror') {
    main = resolveCollision(path.join(options.outDir, mirroredName(image.relPath)), options.collision, taken, isOwn);
    if (!main) return { files: [], skipped: true };
    const mainPath = main;
    // Side files follow the main file's (possibly suffixed) name so they stay paired.
    const rel = path.relative(options.outDir, mainPath);
    if (options.alphaDir) plan.push({ file: path.join(options.alphaDir, rel), root: options.alphaDir, encode: () => encodeGreyPng(matte.alpha, width, height) });
    if (options.trimapDir && matte.trimap) {
      const trimap = matte.trimap;
      plan.push({ file: path.join(options.trimapDir, rel), root: options.trimapDir, encode: () => encodeGreyPng(trimap, width, height) });
    }
    plan.push({ file: mainPath, root: options.outDir, encode: () => Promise.resolve(mainBytes) });
  } else {
    const stem = flatStem(image.relPath);
    main = resolveCollision(path.join(options.outDir, 'image', `${stem}.png`), options.collision, taken, isOwn);
    if (!main) return { files: [], skipped: true };
    const name = path.basename(main);
    const mask = new Uint8Array(matte.alpha.length);
    for (let i = 0; i < mask.length; i++) mask[i] = matte.alpha[i] >= 128 ? 255 : 0;
    const trimap = matte.trimap;
    const out = options.outDir;
    plan.push({ file: path.join(out, 'mask', name), root: out, encode: () => encodeGreyPng(mask, width, height) });
    if (trimap) plan.push({ file: path.join(out, 'trimap', name), root: out, encode: () => encodeGreyPng(trimap, width, height) });
    plan.push({ file: path.join(out, 'alpha', name), root: out, encode: () => encodeGreyPng(matte.alpha, width, height) });
    plan.push({ file: main, root: out, encode: () => Promise.resolve(mainBytes) });
  }
  const files = plan.map((p) => p.file);
  for (const [i, file] of files.entries()) {
    // The main file was resolved against `taken` already; a side file landing on another output is a conflict.
    if (files.indexOf(file) !== i || (file !== main && taken.has(file))) {
      throw new ExportError('OUTPUT_CONFLICT', `Two outputs of this export would be written to ${file}; choose separate folders`);
    }
  }
  for (const file of files) taken.add(file);

  const temps: { temp: string; file: string }[] = [];
  const renamed: string[] = [];
  try {
    for (const p of plan) {
      await prepareDir(path.dirname(p.file), taken);
      checkWriteTarget(p.file, p.root);
      const temp = tempNameFor(p.file);
      temps.push({ temp, file: p.file });
      await writeFs.writeFile(temp, await p.encode()).catch((err: unknown) => {
        throw explainWriteError(err, p.file);
      });
    }
    for (const t of temps) {
      await writeFs.rename(t.temp, t.file).catch((err: unknown) => {
        throw explainWriteError(err, t.file);
      });
      renamed.push(t.file);
    }
  } catch (err) {
    for (const t of temps) if (!renamed.includes(t.file)) await writeFs.unlink(t.temp).catch(() => undefined);
    for (const f of renamed) fs.rmSync(f, { force: true });
    throw err;
  }
  return { main, files: renamed, skipped: false };
}

/** Dataset layout: `train.txt` lists the file names present in every folder, one a line, sorted. */
export async function writeTrainList(outDir: string, writeFs: WriteFs = nodeWriteFs): Promise<string> {
  const imageDir = path.join(outDir, 'image');
  const names = fs.existsSync(imageDir) ? fs.readdirSync(imageDir).filter((n) => n.endsWith('.png') && !n.startsWith('.')).sort() : [];
  const file = path.join(outDir, 'train.txt');
  await writeFileAtomic(file, Buffer.from(names.map((n) => `${n}\n`).join('')), writeFs);
  return file;
}
