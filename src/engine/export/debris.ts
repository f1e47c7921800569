import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from '../host/process-alive';

/** tempNameFor's shape: `.<name>.<pid>.<8 hex>.tmp`. */
const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files a killed export left in its output folders (written by a process
 * that is gone; this process's and live ones' are in use). Links are not followed. Returns the
 * files removed.
 */
export function sweepExportDebris(dirs: (string | undefined)[], options: { recursive?: boolean } = {}): string[] {
  const removed: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (options.recursive !== false) walk(p);
      }
      else if (e.isFile()) {
        const m = TEMP.exec(e.name);
        if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) {
          fs.rmSync(p, { force: true });
          removed.push(p);
        }
      }
    }
  };
  for (const d of dirs) if (d) walk(path.resolve(d));
  return removed;
}
