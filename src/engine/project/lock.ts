import fs from 'node:fs';
import os from 'node:os';
import { ProjectError } from './errors';

interface LockInfo {
  pid: number;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') return { pid: parsed.pid, host: parsed.host };
  } catch {
    // unreadable or half-written lock: treated as stale
  }
  return undefined;
}

/** Paths locked by this process: a second open in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * One writer per project. The lock file names the owning pid; a lock whose process is gone (a
 * crash, SIGKILL) is stale and taken over, so a killed studio never locks the user out.
 */
export function acquireLock(file: string): () => void {
  if (heldHere.has(file)) throw new ProjectError('PROJECT_LOCKED', `The project is already open in this process (${file})`);
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies LockInfo);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      heldHere.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(file);
        if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readLock(file);
      const stale = !owner || (owner.host === os.hostname() && !alive(owner.pid));
      if (!stale) {
        throw new ProjectError('PROJECT_LOCKED', `The project is open in another process (pid ${owner.pid} on ${owner.host})`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new ProjectError('PROJECT_LOCKED', `Could not take the project lock ${file}`);
}
