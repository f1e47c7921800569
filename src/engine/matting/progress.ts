export interface Progress {
  fraction: number;
  stage: string;
}

export interface MattingContext {
  onProgress?(p: Progress): void;
  signal?: AbortSignal;
}

/** A context whose progress maps [0, 1] of a sub-step to [from, to] of the whole. */
export function subProgress(ctx: MattingContext, from: number, to: number): MattingContext {
  const { onProgress, signal } = ctx;
  return {
    signal,
    onProgress: onProgress && ((p) => onProgress({ stage: p.stage, fraction: from + (to - from) * p.fraction })),
  };
}

/** Solver progress as the fraction of the way, in log scale, from the first residual to the tolerance. */
export function residualFraction(first: number, current: number, tolerance: number): number {
  if (!(first > tolerance) || !(current > 0)) return 1;
  const f = Math.log(first / current) / Math.log(first / tolerance);
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

/** A context whose progress never steps back (a CG residual can rise for an iteration; a bar should not). */
export function forwardProgress(ctx: MattingContext): MattingContext {
  const { onProgress, signal } = ctx;
  let shown = 0;
  return {
    signal,
    onProgress:
      onProgress &&
      ((p) => {
        shown = Math.max(shown, p.fraction);
        onProgress({ stage: p.stage, fraction: shown });
      }),
  };
}
