import { CodedError } from '../../shared/coded-error';

export type ProjectErrorCode =
  | 'PROJECT_NOT_FOUND'
  | 'PROJECT_LOCKED'
  | 'NOT_A_PROJECT'
  | 'SCHEMA_TOO_NEW'
  | 'PROJECT_CLOSED'
  | 'IMAGE_NOT_FOUND'
  | 'BAD_TRIMAP';

export class ProjectError extends CodedError<ProjectErrorCode> {
  override readonly name = 'ProjectError';
}
