export type ProjectErrorCode =
  | 'PROJECT_NOT_FOUND'
  | 'PROJECT_LOCKED'
  | 'NOT_A_PROJECT'
  | 'SCHEMA_TOO_NEW'
  | 'PROJECT_CLOSED'
  | 'IMAGE_NOT_FOUND'
  | 'BAD_TRIMAP';

export class ProjectError extends Error {
  readonly code: ProjectErrorCode;
  constructor(code: ProjectErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProjectError';
    this.code = code;
  }
}
