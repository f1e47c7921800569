import type { PipelineEngine } from './types';

/**
 * The engine for a batch whose first image runs alone: the other images' segmentations and
 * refinements wait until the caller says the first image has ended (`release()`; matte-command
 * calls it when any image ends, whatever became of it, so a first image that fails holds nobody
 * back). On two cores the first image then has the machine to itself (its segmentation shares the
 * model thread with nobody, its refinement, foreground colours and encoding share the cores with
 * nobody but the warm-up of the next threads), so the first result comes out sooner; afterwards
 * the engine runs as before. Everything else is the engine's own (it is the prototype).
 * Measured (built CLI, 15 portraits of 1.6 MP, alternating, load 1.1-2.9): first image written
 * 1.24-1.39 s after start (median 1.30) with the gate open when the first image ends, against
 * 1.33-1.59 s (median 1.42) with it open when the first refinement ends (the next images'
 * segmentations then ran beside its foreground colours and encoding); the whole run 6.90-7.56 s
 * against 6.92-7.40 s. Earlier (issue 15), opening it at the first refinement's end rather than
 * after the first segmentation: first image out median 1.73 against 2.03 s.
 */
export function withLeadingImage(engine: PipelineEngine): PipelineEngine & { release(): void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = () => resolve()));
  /** `call` with its first call going straight on and the later ones once the caller releases. */
  const gate = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => {
    let calls = 0;
    return (...args: A): Promise<R> => (calls++ > 0 ? released.then(() => call(...args)) : call(...args));
  };
  return Object.create(engine, {
    segment: { value: gate(engine.segment.bind(engine)) },
    refine: { value: gate(engine.refine.bind(engine)) },
    release: { value: () => release() },
  }) as PipelineEngine & { release(): void };
}
