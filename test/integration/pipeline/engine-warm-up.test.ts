import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../../../src/engine/pipeline/engine';
import { matteImage } from '../../../src/engine/pipeline/matte';

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
});
