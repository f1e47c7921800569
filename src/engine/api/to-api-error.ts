import { type ApiError, StudioError, isErrorCode } from '../../shared/errors';

const errnoCodes: Record<string, ApiError['code']> = {
  ENOENT: 'NOT_FOUND',
  ENOTDIR: 'NOT_FOUND',
  ENOSPC: 'DISK_FULL',
  EDQUOT: 'DISK_FULL',
  EROFS: 'READ_ONLY',
  EACCES: 'READ_ONLY',
  EPERM: 'READ_ONLY',
  // SQLite (better-sqlite3's SqliteError codes): the database could not grow.
  SQLITE_FULL: 'DISK_FULL',
  SQLITE_IOERR_WRITE: 'IO_ERROR',
  SQLITE_READONLY: 'READ_ONLY',
};

/**
 * Maps anything thrown inside the engine to a typed ApiError. Engine modules throw errors with a
 * `code` from the shared list; Node's errno codes and AbortError are translated; anything else is
 * INTERNAL, with its message kept so the person sees what broke.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof StudioError) return err.toJSON();
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (err.name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled' };
    // Model errors list every problem found (e.g. each manifest/ONNX mismatch): pass them on.
    const problems = (err as { problems?: unknown }).problems;
    if (isErrorCode(code)) return Array.isArray(problems) && problems.length ? { code, message: err.message, details: problems } : { code, message: err.message };
    if (typeof code === 'string' && code in errnoCodes) return { code: errnoCodes[code], message: err.message };
    return { code: 'INTERNAL', message: err.message || 'Internal error' };
  }
  return { code: 'INTERNAL', message: String(err) };
}
