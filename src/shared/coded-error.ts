/**
 * An Error with a machine-readable code: the one shape of every module's typed errors (images,
 * matting, projects, models, inference, export). The engine's dispatcher passes codes from the
 * shared list on to the windows as they are (see engine/api/to-api-error.ts). No dependencies.
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
