/**
 * Typed errors that cross process boundaries. A code says what went wrong in a way code can
 * branch on; the message says it in a way a person can act on.
 */
export const errorCodes = [
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'FORBIDDEN',
  'NO_PROJECT',
  'PROJECT_NOT_FOUND',
  'PROJECT_LOCKED',
  'NOT_A_PROJECT',
  'SCHEMA_TOO_NEW',
  'PROJECT_CLOSED',
  'NOT_FOUND',
  'IMAGE_NOT_FOUND',
  'BAD_TRIMAP',
  'NOT_AN_IMAGE',
  'CORRUPT',
  'TOO_LARGE',
  'UNREADABLE',
  'IO_ERROR',
  'DISK_FULL',
  'READ_ONLY',
  'OUTPUT_MISSING',
  'OUTPUT_READ_ONLY',
  'OUTPUT_NOT_FOLDER',
  'OUTPUT_INSIDE_SOURCE',
  'OUTPUT_ON_ORIGINAL',
  'OUTPUT_CONFLICT',
  'OUTPUT_SYMLINK',
  'WRITE_FAILED',
  'MANIFEST_INVALID',
  'ONNX_UNREADABLE',
  'MODEL_MISMATCH',
  'MODEL_EXISTS',
  'MODEL_NOT_FOUND',
  'MODEL_NOT_PREPARED',
  'UNSUPPORTED_OPERATOR',
  'PROVIDER_UNAVAILABLE',
  'INFERENCE_FAILED',
  'SERVICE_CLOSED',
  'CANCELLED',
  'ENGINE_UNAVAILABLE',
  'TRAINING_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Field-level problems for BAD_REQUEST, or other structured detail. */
  details?: unknown;
}

/** An Error that carries an ApiError across `throw`. */
export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.details = details;
  }
  toJSON(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** Thrown by a client when a call comes back with an error. */
export class ApiCallError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(error: ApiError) {
    super(error.message);
    this.name = error.code === 'CANCELLED' ? 'AbortError' : 'ApiCallError';
    this.code = error.code;
    this.details = error.details;
  }
}
