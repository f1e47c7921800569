import { CodedError } from '../../shared/coded-error';

/** Why an input file could not be used; import reports and the CLI show these codes. */
export type ImageErrorCode = 'NOT_AN_IMAGE' | 'CORRUPT' | 'TOO_LARGE' | 'UNREADABLE';

export class ImageError extends CodedError<ImageErrorCode> {
  override readonly name = 'ImageError';
}
