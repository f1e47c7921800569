import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export type WriteErrorCode = 'OUTPUT_MISSING' | 'OUTPUT_READ_ONLY' | 'DISK_FULL' | 'WRITE_FAILED';

export class WriteError extends Error {
  readonly code: WriteErrorCode;
  readonly path: string;
  constructor(code: WriteErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WriteError';
    this.code = code;
    this.path = file;
  }
}

/** The file system calls an atomic write uses; tests inject failures (a full disk) through it. */
export interface WriteFs {
  writeFile(file: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
}

export const nodeWriteFs: WriteFs = {
  async writeFile(file, data) {
    const handle = await fs.open(file, 'wx');
    try {
      await handle.writeFile(data);
      // Without the fsync a crash after rename can leave an empty file under the final name.
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fs.rename(from, to),
  unlink: (file) => fs.unlink(file),
};

export function explainWriteError(err: unknown, file: string): WriteError {
  if (err instanceof WriteError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const dir = path.dirname(file);
  switch (code) {
    case 'ENOENT':
      return new WriteError('OUTPUT_MISSING', file, `Output folder ${dir} does not exist`, { cause: err });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new WriteError('OUTPUT_READ_ONLY', file, `Output folder ${dir} is not writable (${code})`, { cause: err });
    case 'ENOSPC':
    case 'EDQUOT':
      return new WriteError('DISK_FULL', file, `No space left on the device while writing ${file}`, { cause: err });
    default:
      return new WriteError('WRITE_FAILED', file, `Could not write ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Hidden temporary sibling: same folder so the rename stays on one file system and is atomic. */
export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `file` so that `file` is either absent/old or complete, never partial: write a
 * temporary sibling, fsync, rename over. On any failure the temporary file is removed.
 */
export async function writeFileAtomic(file: string, data: Uint8Array, writeFs: WriteFs = nodeWriteFs): Promise<void> {
  const temp = tempNameFor(file);
  try {
    await writeFs.writeFile(temp, data);
    await writeFs.rename(temp, file);
  } catch (err) {
    await writeFs.unlink(temp).catch(() => undefined);
    throw explainWriteError(err, file);
  }
}
