import type { PipelineEngine } from './types';

/** The engine's stages a batch's first image may run alone. */
export type LeadingStage = 'segment' | 'refine';

/**
 * The engine for a batch whose first image runs the given stages alone: the image that reaches
 * such a stage first goes straight on, the others' calls of it wait until it settles. On two cores
 * the first image then has a core to itself (its refinement is most of its time; its segmentation
 * shares the model thread with nobody) while the other core warms the matting thread and segments
 * the next images, so the first result comes out sooner; afterwards the engine runs as before.
 * Everything else is the engine's own (it is the prototype).
 */
export function withLeading(engine: PipelineEngine, stages: readonly LeadingStage[]): PipelineEngine {
  const gated = Object.fromEntries(stages.map((stage) => [stage, { value: leadAlone(engine[stage].bind(engine) as (...args: unknown[]) => Promise<unknown>) }]));
  return Object.create(engine, gated) as PipelineEngine;
}

/** The batch's first refinement runs alone (see withLeading). */
export function withLeadingRefine(engine: PipelineEngine): PipelineEngine {
  return withLeading(engine, ['refine']);
}

/** `call` with its first call alone and the later ones started once that settles. */
function leadAlone<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let lead: Promise<unknown> | undefined;
  return (...args) => {
    if (!lead) {
      const first = call(...args);
      lead = first.catch(() => undefined);
      return first;
    }
    return lead.then(() => call(...args));
  };
}
