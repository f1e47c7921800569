import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The files media routes may hand to a reader. Cache files are the project's own: a symbolic
 * link planted in `cache/` (in place of a file or of a folder) could point anywhere on the disk,
 * and a FIFO or device would block the reader for good. Each answer is a real path, so the file
 * opened is the one checked.
 */

/** The real path of `file` when it is a regular file, not itself a link, whose real path lies inside `root`'s; null otherwise. */
export async function cacheFileInside(root: string, file: string): Promise<string | null> {
  try {
    const [realRoot, realFile, own] = await Promise.all([fs.realpath(root), fs.realpath(file), fs.lstat(file)]);
    if (!own.isFile() || !realFile.startsWith(realRoot + path.sep)) return null;
    return realFile;
  } catch {
    return null;
  }
}

/**
 * An original, which the user may have imported through a link (import follows links to files):
 * the real path when it leads to a regular file; null for a FIFO, device, folder or nothing.
 */
export async function regularFile(file: string): Promise<string | null> {
  try {
    const realFile = await fs.realpath(file);
    return (await fs.stat(realFile)).isFile() ? realFile : null;
  } catch {
    return null;
  }
}
