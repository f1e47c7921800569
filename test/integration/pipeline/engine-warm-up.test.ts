import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../../../src/engine/pipeline/engine';
import { matteImage } from '../../../src/engine/pipeline/matte';
import { makeComposite } from '../../fixtures/make-fixtures';

const image = { width: 48, height: 48, data: new Uint8Array(48 * 48 * 3).map((_, i) => (i * 7) & 255) };

describe('createDefaultEngine().warmUp', () => {
  it('prepares a batch; the batch then runs as it would without it', async () => {
    const engine = createDefaultEngine({ provider: 'cpu' });
    engine.warmUp({ images: 3, modelId: 'selfie-general', refine: 'guided', decontaminate: true });
    await expect(engine.providerReport()).resolves.toMatchObject({ active: 'cpu' });
    const r = await matteImage({ image, refine: 'guided', modelId: 'selfie-general' }, engine);
    expect(r.alpha).toHaveLength(48 * 48);
    expect(r.foreground).toHaveLength(48 * 48 * 3);
    expect(r.provider).toBe('cpu');
    await engine.close();
  });

  it('a model that does not exist fails the run with its typed error, not the warm-up', async () => {
    const engine = createDefaultEngine({ provider: 'cpu' });
    engine.warmUp({ images: 2, modelId: 'no-such-model', refine: 'no-such-matting-model', decontaminate: true });
    await expect(matteImage({ image, refine: 'guided', modelId: 'no-such-model' }, engine)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    await engine.close();
  });

  it('warms the first matting thread it starts and starts the others cold; the alphas are a cold engine’s', async () => {
    const c = makeComposite(120, 96, 2);
    const request = { image: { width: c.width, height: c.height, data: c.rgb }, trimap: c.trimap, refine: 'closed-form', modelId: 'selfie-general' };
    const engine = createDefaultEngine({ provider: 'cpu', mattingThreads: 2 });
    const cold = createDefaultEngine({ provider: 'cpu', mattingThreads: 2 });
    try {
      engine.warmUp({ images: 3, modelId: 'selfie-general', refine: 'closed-form', decontaminate: true });
      // The first thread's warm-up: two synthetic refinements, solved for real.
      await expect.poll(async () => (await engine.warmedUp()).length, { timeout: 60_000, interval: 50 }).toBe(1);
      const [first] = await engine.warmedUp();
      expect(first).toMatchObject({ solves: 2, stopped: false });
      expect(first?.maxAlphaError).toBeLessThan(0.15);

      const warm = await matteImage(request, engine);
      // One warm-up only: the second thread started cold.
      expect(await engine.warmedUp()).toHaveLength(1);

      const reference = await matteImage(request, cold);
      await expect(cold.warmedUp()).resolves.toEqual([]);
      expect(Buffer.from(warm.alpha).equals(Buffer.from(reference.alpha))).toBe(true);
      expect(Buffer.from(warm.foreground ?? []).equals(Buffer.from(reference.foreground ?? []))).toBe(true);
    } finally {
      await Promise.all([engine.close(), cold.close()]);
    }
  });

  // Worker threads are OS threads of this process: count them where Linux lists them.
  it.runIf(fs.existsSync('/proc/self/task'))('does nothing on a closed engine, and closing during a warm-up leaves no thread running', async () => {
    const threads = () => fs.readdirSync('/proc/self/task').length;
    const settle = () => new Promise((r) => setTimeout(r, 800));
    await settle();
    const before = threads();
    const engine = createDefaultEngine({ provider: 'cpu' });
    engine.warmUp({ images: 4, modelId: 'selfie-general', refine: 'closed-form', decontaminate: true });
    await engine.close();
    engine.warmUp({ images: 4, modelId: 'selfie-general', refine: 'closed-form', decontaminate: true });
    await settle();
    expect(threads()).toBeLessThanOrEqual(before);
  });

  it.runIf(fs.existsSync('/proc/self/task'))('closing while the matting thread warms up leaves no thread running', async () => {
    const threads = () => fs.readdirSync('/proc/self/task').length;
    await new Promise((r) => setTimeout(r, 800));
    const before = threads();
    const engine = createDefaultEngine({ provider: 'cpu', mattingThreads: 2 });
    engine.warmUp({ images: 4, modelId: 'selfie-general', refine: 'closed-form', decontaminate: true });
    await engine.providerReport();
    const withSession = threads();
    // The matting thread starts once the model session is up: close as soon as it is there.
    await expect.poll(threads, { timeout: 60_000, interval: 5 }).toBeGreaterThan(withSession);
    await engine.close();
    await expect.poll(threads, { timeout: 30_000, interval: 50 }).toBeLessThanOrEqual(before);
  });
});
