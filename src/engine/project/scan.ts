import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isSystemPath, specialFileProblem } from './special-files';

export interface ScannedFile {
  path: string;
  /** Relative to the folder given, or the bare name for a file given directly. */
  relPath: string;
}

export interface ScanResult {
  files: ScannedFile[];
  unreadable: { path: string; message: string }[];
}

/**
 * Lists files under the given paths, recursively, in a stable order. Hidden entries and the
 * `exclude` folders (the project itself) are left out; symbolic links to folders are not
 * followed, so a link cycle cannot loop.
 */
export async function scanPaths(paths: string[], exclude: string[] = [], signal?: AbortSignal): Promise<ScanResult> {
  const files: ScannedFile[] = [];
  const unreadable: ScanResult['unreadable'] = [];
  const excluded = exclude.map((p) => path.resolve(p));
  const isExcluded = (p: string) => excluded.some((e) => p === e || p.startsWith(e + path.sep));

  async function walk(dir: string, root: string): Promise<void> {
    signal?.throwIfAborted();
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      unreadable.push({ path: dir, message: (err as Error).message });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (isExcluded(full)) continue;
      if (entry.isDirectory()) await walk(full, root);
      else if (entry.isFile() || entry.isSymbolicLink()) {
        if (entry.isSymbolicLink()) {
          const st = await fs.stat(full).catch(() => undefined);
          if (!st?.isFile() || specialFileProblem(full, st)) continue;
        }
        files.push({ path: full, relPath: path.relative(root, full).split(path.sep).join('/') });
      }
    }
  }

  for (const given of paths) {
    const abs = path.resolve(given);
    const st = await fs.stat(abs).catch((err: Error) => err);
    if (st instanceof Error) {
      unreadable.push({ path: abs, message: st.message });
    } else if (st.isDirectory()) {
      if (isSystemPath(abs)) unreadable.push({ path: abs, message: `${abs} is a system folder (/proc, /sys, /dev), not a folder of images` });
      else await walk(abs, abs);
    } else if (!isExcluded(abs)) {
      // Devices, FIFOs and /proc files are refused from their metadata, before anything opens them.
      const problem = specialFileProblem(abs, st);
      if (problem) unreadable.push({ path: abs, message: problem });
      else files.push({ path: abs, relPath: path.basename(abs) });
    }
  }
  return { files, unreadable };
}
