import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Snapshot } from './session';

export interface SnapshotFiles {
  /** The frame as the camera saw it (RGB PNG): the project imports this one. */
  image: string;
  /** Its matte, one grey level per pixel. */
  matte: string;
  /** Frame with the matte as its alpha channel (straight alpha). */
  cutout: string;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:]/g, '-').replace(/\..*$/, '') + `-${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Writes the three PNGs of a snapshot into `dir` (created if needed). */
export async function writeSnapshotFiles(dir: string, shot: Snapshot, now = new Date()): Promise<SnapshotFiles> {
  await fs.mkdir(dir, { recursive: true });
  const base = path.join(dir, `webcam-${stamp(now)}`);
  const files: SnapshotFiles = { image: `${base}.png`, matte: `${base}.matte.png`, cutout: `${base}.cutout.png` };
  const { width, height } = shot;
  const rgba = Buffer.from(shot.rgba.buffer, shot.rgba.byteOffset, shot.rgba.byteLength);
  const cutout = Buffer.from(rgba);
  for (let i = 0; i < width * height; i++) cutout[i * 4 + 3] = shot.alpha[i];
  await Promise.all([
    sharp(rgba, { raw: { width, height, channels: 4 } }).removeAlpha().png().toFile(files.image),
    sharp(Buffer.from(shot.alpha.buffer, shot.alpha.byteOffset, shot.alpha.byteLength), { raw: { width, height, channels: 1 } }).png().toFile(files.matte),
    sharp(cutout, { raw: { width, height, channels: 4 } }).png().toFile(files.cutout),
  ]);
  return files;
}

/**
 * Where a project's webcam snapshots live: beside the project folder, since a project imports
 * originals by reference and never from inside itself.
 */
export function snapshotDirFor(projectDir: string): string {
  return path.join(path.dirname(projectDir), `${path.basename(projectDir)} webcam snapshots`);
}
