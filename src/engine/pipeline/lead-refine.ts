import type { PipelineEngine } from './types';

/**
 * The engine for a batch whose first image runs alone until its refinement settles: the others'
 * segmentations and refinements wait for it (or for `release()`: the caller releases when any
 * image ends, so a first image that fails before its refinement holds nobody back). On two cores
 * the first image then has the machine to itself (its refinement is most of its time; its
 * segmentation shares the model thread with nobody) while the other core warms a matting thread,
 * so the first result comes out sooner; afterwards the engine runs as before. Everything else is
 * the engine's own (it is the prototype).
 * Measured: the next images' segmentations, run beside the first refinement, slowed it: 15 photos,
 * 5 alternating rounds of `bench/matte-cli.ts 15 1`, first image out 1.46-1.88 s (median 1.73)
 * against 1.67-2.21 s (median 2.03) with only the first segmentation alone; the whole run 7.38-8.35 s
 * (median 7.70) against 7.41-8.29 s (median 7.91).
 */
export function withLeadingImage(engine: PipelineEngine): PipelineEngine & { release(): void } {
  let release!: () => void;
  const settled = new Promise<void>((resolve) => (release = () => resolve()));
  /** `call` with its first call going straight on and the later ones once the gate opens. */
  const gate = <A extends unknown[], R>(call: (...args: A) => Promise<R>, opensGate: boolean) => {
    let calls = 0;
    return (...args: A): Promise<R> => {
      if (calls++ > 0) return settled.then(() => call(...args));
      const first = call(...args);
      if (opensGate) first.then(release, release);
      return first;
    };
  };
  return Object.create(engine, {
    segment: { value: gate(engine.segment.bind(engine), false) },
    refine: { value: gate(engine.refine.bind(engine), true) },
    release: { value: () => release() },
  }) as PipelineEngine & { release(): void };
}
