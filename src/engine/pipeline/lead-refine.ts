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

/**
 * The engine for a batch whose first image runs alone until its refinement settles: the others'
 * segmentations and refinements wait for it (or for `release()`: the caller releases when any
 * image ends, so a first image that fails before its refinement holds nobody back). On two cores
 * the next images' segmentations, run beside the first refinement, slowed it: 15 photos, 5
 * alternating rounds of `bench/matte-cli.ts 15 1`, first image out 1.46-1.88 s (median 1.73)
 * against 1.67-2.21 s (median 2.03) with only the first segmentation alone; the whole run 7.38-8.35 s
 * (median 7.70) against 7.41-8.29 s (median 7.91).
 */
export function withLeadingImage(engine: PipelineEngine): PipelineEngine & { release(): void } {
  let release!: () => void;
  const settled = new Promise<void>((resolve) => (release = () => resolve()));
  const segment = engine.segment.bind(engine);
  const refine = engine.refine.bind(engine);
  let segments = 0;
  let refines = 0;
  return Object.create(engine, {
    segment: { value: (...args: Parameters<PipelineEngine['segment']>) => (segments++ === 0 ? segment(...args) : settled.then(() => segment(...args))) },
    refine: {
      value: (...args: Parameters<PipelineEngine['refine']>) => {
        if (refines++ > 0) return settled.then(() => refine(...args));
        const first = refine(...args);
        first.then(release, release);
        return first;
      },
    },
    release: { value: () => release() },
  }) as PipelineEngine & { release(): void };
}
