/**
 * withLeadingImage (the CLI's batch engine): the first image of a batch segments and refines
 * alone, the others start once the caller says it has ended (release(), as matte-command calls it
 * when an image ends), and nothing else changes: every image gets the alpha the plain engine gives
 * it, and a first image that fails holds nobody back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../../../src/engine/pipeline/engine';
import { withLeadingImage } from '../../../src/engine/pipeline/leading-image';
import { matteImage } from '../../../src/engine/pipeline/matte';
import type { PipelineEngine } from '../../../src/engine/pipeline/types';
import { makeComposite } from '../../fixtures/make-fixtures';

const engine = createDefaultEngine({ provider: 'cpu' });
afterAll(() => engine.close());

/** The real engine, with each refinement's start and end written down in order. */
function recording(events: string[]): PipelineEngine {
  const refine: PipelineEngine['refine'] = async (method, image, trimap, hints) => {
    const name = `${image.width}x${image.height}`;
    events.push(`start ${name}`);
    try {
      return await engine.refine(method, image, trimap, hints);
    } finally {
      events.push(`end ${name}`);
    }
  };
  return Object.create(engine, { refine: { value: refine } }) as PipelineEngine;
}

const composites = [makeComposite(96, 80, 1), makeComposite(88, 72, 2), makeComposite(80, 96, 3), makeComposite(72, 64, 4)];
/** Runs the batch as matte-command does: every image at once, the gate released when any image ends. */
function runBatch<T>(batch: { release(): void }, runs: (() => Promise<T>)[], events: string[]): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(
    runs.map((run, i) =>
      run().finally(() => {
        events.push(`ended image ${i}`);
        batch.release();
      }),
    ),
  );
}
const fulfilled = <T>(r: PromiseSettledResult<T>): T => {
  if (r.status === 'rejected') throw r.reason;
  return r.value;
};

const request = (c: (typeof composites)[number]) => ({ image: { width: c.width, height: c.height, data: c.rgb }, trimap: c.trimap, refine: 'closed-form', modelId: 'unused', decontaminate: true });

describe('withLeadingImage, with the trimaps given', () => {
  it('runs the first refinement alone, then the rest, with the alphas and colours of the plain engine', async () => {
    const events: string[] = [];
    const batch = withLeadingImage(recording(events));
    const gated = (await runBatch(batch, composites.map((c) => () => matteImage(request(c), batch)), events)).map(fulfilled);
    // The first refinement to start ended, and its image (foreground colours included) ended,
    // before any other started.
    expect(events.slice(0, 3)).toEqual([`start 96x80`, `end 96x80`, 'ended image 0']);
    expect(events.filter((e) => e.startsWith('start'))).toHaveLength(composites.length);

    for (const [i, c] of composites.entries()) {
      const plain = await matteImage(request(c), engine);
      expect(Buffer.from(gated[i].alpha).equals(Buffer.from(plain.alpha))).toBe(true);
      expect(Buffer.from(gated[i].foreground ?? []).equals(Buffer.from(plain.foreground ?? []))).toBe(true);
      // A real matte of the composite: opaque inside, clear outside.
      expect(gated[i].alpha.some((a) => a === 255) && gated[i].alpha.some((a) => a === 0)).toBe(true);
    }
  });

  it('a first refinement that fails fails its own image only; the others still run', async () => {
    const events: string[] = [];
    const batch = withLeadingImage(recording(events));
    // Every pixel unknown: the refinement refuses it (NO_KNOWN_PIXELS).
    const bad = { ...request(composites[0]), trimap: new Uint8Array(composites[0].trimap.length).fill(128) };
    const results = await runBatch(batch, [() => matteImage(bad, batch), ...composites.slice(1).map((c) => () => matteImage(request(c), batch))], events);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: 'NO_KNOWN_PIXELS' } });
    expect(results.slice(1).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(events.slice(0, 3)).toEqual([`start 96x80`, `end 96x80`, 'ended image 0']);
  });
});

describe('withLeadingImage (the CLI\'s batch engine)', () => {
  /** The real engine, with each segmentation's and refinement's start and end written down in order. */
  function recordingBoth(events: string[], failSegmentOf?: number): PipelineEngine {
    const wrap = <K extends 'segment' | 'refine'>(stage: K, width: (args: Parameters<PipelineEngine[K]>) => number) =>
      async (...args: Parameters<PipelineEngine[K]>) => {
        const name = `${stage} ${width(args)}`;
        events.push(`start ${name}`);
        try {
          if (stage === 'segment' && width(args) === failSegmentOf) throw new Error('this photo cannot be segmented');
          return await (engine[stage] as (...a: Parameters<PipelineEngine[K]>) => ReturnType<PipelineEngine[K]>)(...args);
        } finally {
          events.push(`end ${name}`);
        }
      };
    return Object.create(engine, {
      segment: { value: wrap('segment', (a) => a[1].width) },
      refine: { value: wrap('refine', (a) => a[1].width) },
    }) as PipelineEngine;
  }
  const automatic = (c: (typeof composites)[number]) => ({ image: { width: c.width, height: c.height, data: c.rgb }, refine: 'closed-form', modelId: 'selfie-general', decontaminate: true });

  it('runs the first image through segmentation and refinement before any other image segments, with the plain engine\'s alphas', async () => {
    const events: string[] = [];
    const batch = withLeadingImage(recordingBoth(events));
    const gated = (await runBatch(batch, composites.map((c) => () => matteImage(automatic(c), batch)), events)).map(fulfilled);
    const first = composites[0].width;
    // The first image's segmentation and refinement, start to end, and its end (foreground colours
    // included), before anything of the others.
    expect(events.slice(0, 5)).toEqual([`start segment ${first}`, `end segment ${first}`, `start refine ${first}`, `end refine ${first}`, 'ended image 0']);
    expect(events.filter((e) => e.startsWith('start segment'))).toHaveLength(composites.length);
    for (const [i, c] of composites.entries()) {
      const plain = await matteImage(automatic(c), engine);
      expect(Buffer.from(gated[i].alpha).equals(Buffer.from(plain.alpha))).toBe(true);
    }
    // The gated segmentation gives the plain engine's probabilities.
    const image = { width: composites[1].width, height: composites[1].height, data: composites[1].rgb };
    const [gatedProb, plainProb] = await Promise.all([batch.segment('selfie-general', image), engine.segment('selfie-general', image)]);
    expect(Buffer.from(gatedProb.prob.buffer).equals(Buffer.from(plainProb.prob.buffer))).toBe(true);
  });

  it('a first image that has refined holds the others until release()', async () => {
    const events: string[] = [];
    const batch = withLeadingImage(recordingBoth(events));
    const runs = composites.map((c) => matteImage(automatic(c), batch));
    await runs[0];
    // The first image is done, foreground colours and all; nobody else has started...
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.filter((e) => e.startsWith('start'))).toEqual([`start segment ${composites[0].width}`, `start refine ${composites[0].width}`]);
    // ...until the caller releases them.
    batch.release();
    await Promise.all(runs);
    expect(events.filter((e) => e.startsWith('start segment'))).toHaveLength(composites.length);
  });

  it('a first image that fails before its refinement holds the others only until release()', async () => {
    const events: string[] = [];
    const batch = withLeadingImage(recordingBoth(events, composites[0].width));
    const runs = composites.map((c) => matteImage(automatic(c), batch));
    await expect(runs[0]).rejects.toThrow('cannot be segmented');
    // The others wait for a refinement that will not come...
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.filter((e) => e.startsWith('start')).length).toBe(1);
    // ...until the caller, seeing the first image end, releases them (as matte-command does).
    batch.release();
    const rest = await Promise.all(runs.slice(1));
    for (const [i, c] of composites.slice(1).entries()) {
      const plain = await matteImage(automatic(c), engine);
      expect(Buffer.from(rest[i].alpha).equals(Buffer.from(plain.alpha))).toBe(true);
    }
  });
});
