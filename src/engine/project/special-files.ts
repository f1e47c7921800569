import fs from 'node:fs';
import path from 'node:path';

/**
 * Kernel pseudo-file systems: their files report size 0 or never end (/dev/zero), and reading some
 * of them blocks (/proc/kmsg, a FIFO). Nothing under them is an image or a place for outputs.
 */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

/** The real path of `p` as far as it exists, with the missing tail appended (so a folder not yet made can be checked). */
export function realPathOrPlanned(p: string): string {
  const abs = path.resolve(p);
  const tail: string[] = [];
  let head = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return abs;
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

/** True for paths on /proc, /sys or /dev (after following links), on Linux where they exist. */
export function isSystemPath(p: string): boolean {
  if (process.platform === 'win32') return false;
  const real = realPathOrPlanned(p);
  return SYSTEM_ROOTS.some((root) => real === root || real.startsWith(`${root}/`));
}

/**
 * Why `file` must not be read as an image, or undefined for a regular file: devices, FIFOs and
 * sockets are refused from their metadata alone (lstat after following links), before any open.
 */
export function specialFileProblem(file: string, st?: fs.Stats): string | undefined {
  let stats = st;
  if (!stats) {
    try {
      stats = fs.statSync(file);
    } catch {
      return undefined; // missing or unreadable: the reader says so with its own error
    }
  }
  if (!stats.isFile()) {
    const kind = stats.isFIFO() ? 'a FIFO' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device file' : stats.isSocket() ? 'a socket' : stats.isDirectory() ? 'a folder' : 'a special file';
    return `${file} is not a regular file (${kind})`;
  }
  if (isSystemPath(file)) return `${file} is not a regular file (a system pseudo-file)`;
  return undefined;
}
