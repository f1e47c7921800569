// Kept free of zod and protobufjs: the inference worker throws these and loads nothing else of
// the model registry (a fresh thread spends ~75 ms loading those two).
export type ModelErrorCode = 'MANIFEST_INVALID' | 'ONNX_UNREADABLE' | 'MODEL_MISMATCH' | 'MODEL_EXISTS' | 'MODEL_NOT_FOUND' | 'MODEL_NOT_PREPARED';

export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    /** One line per problem found (all of them, not only the first). */
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}:\n- ${problems.join('\n- ')}` : message);
    this.name = 'ModelError';
  }
}
