import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/engine/imaging/raster';
import { makeTrimap } from '../../../src/engine/matting/trimap/trimap';
import { createDefaultEngine } from '../../../src/engine/pipeline/engine';
import { InferenceService } from '../../../src/engine/inference/service';
import { semanticStage, semanticTrimap } from '../../../src/engine/semantic';
import { ASTRONAUT } from '../models/inputs';

/** The astronaut on the left, and a smaller copy of him (another person) in the bottom right. */
async function twoPeople(): Promise<RgbImage> {
  const big = await sharp(ASTRONAUT).removeAlpha().png().toBuffer();
  const small = await sharp(ASTRONAUT).resize(128, 128).removeAlpha().png().toBuffer();
  const { data, info } = await sharp({ create: { width: 448, height: 256, channels: 3, background: '#808080' } })
    .composite([
      { input: big, left: 0, top: 0 },
      { input: small, left: 300, top: 128 },
    ])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Foreground pixels (p >= 0.5) left and right of x = 256. */
function sides(prob: Float32Array, width: number): { left: number; right: number } {
  let left = 0;
  let right = 0;
  for (let i = 0; i < prob.length; i++) {
    if (prob[i] < 0.5) continue;
    if (i % width < 256) left++;
    else right++;
  }
  return { left, right };
}

describe('the default engine with the semantic stage (selfie model, CPU)', () => {
  const engines: { close(): Promise<void> }[] = [];
  const engine = (options: Parameters<typeof createDefaultEngine>[0]) => {
    const e = createDefaultEngine(options);
    engines.push(e);
    return e;
  };
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
  });

  it('keeps the main person and drops the other by default; keep-all keeps both; no selection keeps both', async () => {
    const image = await twoPeople();
    const main = sides((await engine({ provider: 'cpu' }).segment('selfie-general', image)).prob, image.width);
    const all = sides((await engine({ provider: 'cpu', semantic: { subject: { keepAll: true } } }).segment('selfie-general', image)).prob, image.width);
    const none = sides((await engine({ provider: 'cpu', semantic: { subject: false } }).segment('selfie-general', image)).prob, image.width);
    expect(main.left).toBeGreaterThan(10_000);
    expect(main.right).toBe(0);
    expect(all.right).toBeGreaterThan(2_000);
    expect(none.right).toBeGreaterThan(2_000);
    expect(all.left).toBe(main.left);
  }, 60_000);

  it('runs the whole stage on the inference thread with the same result as view by view from the caller', async () => {
    const image = await twoPeople();
    const svc = new InferenceService({ provider: 'cpu' });
    engines.push(svc);
    const { stage } = await svc.semantic('selfie-general', image);
    const here = await semanticStage(async (view) => (await svc.segment('selfie-general', view)).prob, image);
    expect(stage.views).toEqual(here.views);
    expect(Buffer.from(stage.prob.buffer).equals(Buffer.from(here.prob.buffer))).toBe(true);
    expect(Buffer.from(stage.band!.trimap).equals(Buffer.from(here.band!.trimap))).toBe(true);
    expect(stage.selection?.dropped).toBeGreaterThanOrEqual(1);
    expect(Object.keys(stage.ms)).toEqual(expect.arrayContaining(['full', 'tiles', 'subject', 'band']));
  }, 60_000);

  it('makes the smart band when given the image, the fixed one for an explicit radius or without the image', async () => {
    const image = await twoPeople();
    const smart = engine({ provider: 'cpu' });
    const { prob } = await smart.segment('selfie-general', image);
    const withImage = await smart.makeTrimap(prob, image.width, image.height, image);
    // The band segment made on the views' working-size map (this photo is larger than it)...
    const svc = new InferenceService({ provider: 'cpu' });
    engines.push(svc);
    const here = await semanticStage(async (view) => (await svc.segment('selfie-general', view)).prob, image);
    expect(Buffer.from(withImage).equals(Buffer.from(here.band!.trimap))).toBe(true);
    // ...and for a probability segment did not make, the smart band of that map.
    const other = Float32Array.from(prob);
    expect(Buffer.from(await smart.makeTrimap(other, image.width, image.height, image)).equals(Buffer.from(semanticTrimap(other, image)!.trimap))).toBe(true);
    expect(Buffer.from(await smart.makeTrimap(prob, image.width, image.height)).equals(Buffer.from(makeTrimap(prob, image.width, image.height)))).toBe(true);
    const fixed = engine({ provider: 'cpu', band: 3 });
    expect(Buffer.from(await fixed.makeTrimap(prob, image.width, image.height, image)).equals(Buffer.from(makeTrimap(prob, image.width, image.height, { band: 3 })))).toBe(true);
    // Caches key on the settings: a different band scale is a different automatic trimap.
    expect(engine({ provider: 'cpu', semantic: { band: { scale: 2 } } }).settingsKey?.trimap).not.toBe(smart.settingsKey?.trimap);
  }, 60_000);
});
