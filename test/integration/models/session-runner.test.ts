import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionRunner } from '../../../src/engine/inference/session-runner.js';
import { getModel } from '../../../src/engine/models/registry.js';
import { ASTRONAUT, gradientImage, loadRgb } from './inputs.js';

const info = getModel('selfie-general');
const selfie = { manifest: info.manifest, onnxPath: info.onnxPath };

describe('SessionRunner with the selfie segmenter (onnxruntime on CPU, in this thread)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('load() runs a preloaded session twice before any image, once, and close() waits for those runs', async () => {
    // Counted on the class every session is made from (its typings describe only the factory).
    const sessions = ort.InferenceSession as unknown as { prototype: ort.InferenceSession };
    const runs = vi.spyOn(sessions.prototype, 'run');
    const runner = new SessionRunner('cpu');
    await runner.load(selfie);
    await runner.load(selfie);
    // close() releases the session only after the warm-up's runs (releasing it under a run aborts the process).
    await runner.close();
    expect(runs).toHaveBeenCalledTimes(2);
  });

  it('hands each run a spare input tensor, and every image still gets its own answer', async () => {
    const astronaut = await loadRgb(ASTRONAUT, 256, 256);
    const gradient = gradientImage(300, 200);
    const runner = new SessionRunner('cpu');
    const first = (await runner.run(selfie, astronaut)).planes[0];
    // Three at once, as the semantic stage sends its views: each written while the others wait to run.
    const [g, a, g2] = await Promise.all([gradient, astronaut, gradient].map(async (im) => (await runner.run(selfie, im)).planes[0]));
    const fresh = new SessionRunner('cpu');
    const gFresh = (await fresh.run(selfie, gradient)).planes[0];
    await Promise.all([runner.close(), fresh.close()]);
    expect(Array.from(a)).toEqual(Array.from(first));
    expect(Array.from(g)).toEqual(Array.from(gFresh));
    expect(Array.from(g2)).toEqual(Array.from(gFresh));
  });
});
