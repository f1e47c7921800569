import fs from 'node:fs';
import path from 'node:path';
import { tempNameFor } from '../imaging/atomic-write';

/** Reads JSON, or undefined when the file is missing or damaged (the caller falls back to defaults). */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Small settings files: synchronous, written to a temporary sibling, fsynced and renamed over. */
export function writeJsonFileSync(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempNameFor(file);
  try {
    const fd = fs.openSync(temp, 'wx');
    try {
      fs.writeFileSync(fd, JSON.stringify(value, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}
