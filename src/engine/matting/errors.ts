import { CodedError } from '../../shared/coded-error';

export type MattingErrorCode =
  | 'INVALID_IMAGE'
  | 'INVALID_TRIMAP'
  | 'INVALID_OPTIONS'
  | 'NO_KNOWN_PIXELS'
  | 'UNKNOWN_METHOD'
  | 'WORKER_FAILED';

/** Input the engine cannot work with. Odd but usable input (no foreground, a grey image) never throws. */
export class MattingError extends CodedError<MattingErrorCode> {
  override readonly name = 'MattingError';
}

export function abortError(reason?: unknown): Error {
  const err = new Error(typeof reason === 'string' ? reason : 'The operation was aborted', { cause: reason });
  err.name = 'AbortError';
  return err;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal.reason);
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}
