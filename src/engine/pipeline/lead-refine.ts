import type { PipelineEngine } from './types';

/**
 * The engine for a batch whose first refinement runs alone: the image that reaches refinement
 * first goes straight on, the others' refinements wait until it settles. On two cores the
 * first image then has a core to itself (refinement is most of its time) while the other core
 * segments the next images, so the first result comes out sooner; afterwards the engine runs as
 * before. Everything else is the engine's own (it is the prototype).
 */
export function withLeadingRefine(engine: PipelineEngine): PipelineEngine {
  let lead: Promise<unknown> | undefined;
  const refine: PipelineEngine['refine'] = (...args) => {
    if (!lead) {
      const first = engine.refine(...args);
      lead = first.catch(() => undefined);
      return first;
    }
    return lead.then(() => engine.refine(...args));
  };
  return Object.create(engine, { refine: { value: refine } }) as PipelineEngine;
}
