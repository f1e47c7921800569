import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { ProjectError } from './errors';
import { processAlive } from '../host/process-alive';

interface LockInfo {
  pid: number;
  host: string;
  /** Unique per acquisition: tells this owner's lock from a later one of the same pid. */
  nonce: string;
}

/** How often an owner touches its lock; a lock on another host untouched for STALE_MS is stale. */
const HEARTBEAT_MS = 5_000;
const STALE_MS = 60_000;
/** A takeover marker older than this was left by a process killed mid-takeover. */
const TAKEOVER_STALE_MS = 5_000;

function readLock(file: string): LockInfo | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockInfo>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') return { pid: parsed.pid, host: parsed.host, nonce: String(parsed.nonce ?? '') };
  } catch {
    // not a lock this build wrote
  }
  return 'unreadable';
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** A lock is stale when its owner is gone: a dead pid on this host, or no heartbeat for STALE_MS elsewhere. */
function isStale(file: string, owner: LockInfo | 'unreadable'): boolean {
  // Locks appear whole (see acquireLock), so an unreadable one is damage, stale once it is not brand new.
  if (owner === 'unreadable') return ageMs(file) > TAKEOVER_STALE_MS;
  if (owner.host === os.hostname()) return !processAlive(owner.pid);
  return ageMs(file) > STALE_MS;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Puts the lock in place atomically: a hard link of the finished temporary file, which fails with
 * EEXIST if a lock exists. File systems without hard links (FAT, some network shares) get an
 * exclusive create instead; its brief empty state is why a fresh unreadable lock counts as held.
 */
function placeLock(temp: string, file: string, mine: LockInfo): void {
  try {
    fs.linkSync(temp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
  }
}

/** Paths locked by this process: a second open in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * Removes the stale lock `seen` under a takeover marker made by exclusive mkdir, so of several
 * processes that found the same stale lock exactly one removes it (the others retry and find the
 * winner's fresh lock). Returns false when another process is taking over right now.
 */
function takeOver(file: string, seen: LockInfo | 'unreadable'): boolean {
  const marker = `${file}.takeover`;
  try {
    fs.mkdirSync(marker);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (ageMs(marker) > TAKEOVER_STALE_MS) fs.rmSync(marker, { recursive: true, force: true });
    return false;
  }
  try {
    const now = readLock(file);
    const same = now === 'missing' || (seen === 'unreadable' ? now === 'unreadable' : now !== 'unreadable' && now.nonce === seen.nonce && now.pid === seen.pid);
    if (same) fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(marker, { recursive: true, force: true });
  }
}

/**
 * One writer per project. The lock file appears whole or not at all: it is written to a private
 * temporary file and hard-linked into place, which fails if any lock exists (an exclusive create
 * that no reader can catch half-written). It names its owner (pid, host, nonce) and the owner
 * touches it every few seconds (a heartbeat). A lock whose owner is gone (a crash, SIGKILL) is
 * stale and taken over by exactly one process, so a killed studio never locks the user out.
 * `onLost` is called if the lock file vanishes or changes owner while held (the folder was deleted).
 */
export function acquireLock(file: string, onLost?: () => void): () => void {
  if (heldHere.has(file)) throw new ProjectError('PROJECT_LOCKED', `The project is already open in this process (${file})`);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), nonce: randomBytes(8).toString('hex') };
  const temp = `${file}.${mine.nonce}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(mine), { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        placeLock(temp, file, mine);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = readLock(file);
        if (owner === 'missing') continue;
        if (!isStale(file, owner)) {
          const who = owner === 'unreadable' ? 'another process' : `another process (pid ${owner.pid} on ${owner.host})`;
          throw new ProjectError('PROJECT_LOCKED', `The project is open in ${who}`);
        }
        if (!takeOver(file, owner)) sleepSync(10 + Math.random() * 20);
        continue;
      }
      heldHere.add(file);
      return holdLock(file, mine, onLost);
    }
    throw new ProjectError('PROJECT_LOCKED', `Could not take the project lock ${file}`);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function holdLock(file: string, mine: LockInfo, onLost?: () => void): () => void {
  const ours = () => {
    const owner = readLock(file);
    return owner !== 'missing' && owner !== 'unreadable' && owner.nonce === mine.nonce;
  };
  const heartbeat = setInterval(() => {
    if (!ours()) {
      clearInterval(heartbeat);
      onLost?.();
      return;
    }
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // the next beat notices if the lock is gone
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    heldHere.delete(file);
    if (ours()) fs.rmSync(file, { force: true });
  };
}
