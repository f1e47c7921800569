/** Why an input file could not be used; import reports and the CLI show these codes. */
export type ImageErrorCode = 'NOT_AN_IMAGE' | 'CORRUPT' | 'TOO_LARGE' | 'UNREADABLE';

export class ImageError extends Error {
  readonly code: ImageErrorCode;
  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageError';
    this.code = code;
  }
}
