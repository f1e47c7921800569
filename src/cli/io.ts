import type { PipelineEngine } from '../engine/pipeline/types';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WriteStream;
  /** Replaces the default engine (tests, benchmarks). */
  engine?: PipelineEngine;
}
