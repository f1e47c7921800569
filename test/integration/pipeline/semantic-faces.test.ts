/**
 * A face detector in the semantic stage (SemanticOptions.detector), through the default engine and
 * its inference thread: the faces it finds keep their person in the subject selection even when
 * that person is the smaller of two, and a model that is not a detector is a typed error.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/engine/imaging/raster';
import { createDefaultEngine } from '../../../src/engine/pipeline/engine';
import type { SemanticResult } from '../../../src/engine/semantic';
import { ASTRONAUT } from '../models/inputs';

const W = 768;
const H = 400;
const SMALL = 260;

/** A 400 px astronaut at the left and a 260 px one at the bottom right, on grey. */
async function twoPeople(): Promise<RgbImage> {
  const copy = (side: number) => sharp(ASTRONAUT).resize(side, side).removeAlpha().png().toBuffer();
  const { data, info } = await sharp({ create: { width: W, height: H, channels: 3, background: '#808080' } })
    .composite([
      { input: await copy(400), left: 0, top: 0 },
      { input: await copy(SMALL), left: W - SMALL, top: H - SMALL },
    ])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Foreground pixels (p >= 0.5) over the smaller person's columns. */
function smallerPerson(prob: Float32Array): number {
  let n = 0;
  for (let i = 0; i < prob.length; i++) if (prob[i] >= 0.5 && i % W >= W - SMALL) n++;
  return n;
}

describe('faces in the semantic stage (selfie model and MediaPipe full-range detector, CPU)', () => {
  const engines: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
  });
  const run = async (detector?: string) => {
    let stage: SemanticResult | undefined;
    const engine = createDefaultEngine({ provider: 'cpu', semantic: detector ? { detector } : {}, debug: { semantic: async (_image, s) => void (stage = s) } });
    engines.push(engine);
    const { prob } = await engine.segment('selfie-general', await twoPeople());
    return { prob, stage: stage!, key: engine.settingsKey?.trimap };
  };

  it('keeps the smaller person whose face it found, which the selection drops without faces', async () => {
    const without = await run();
    const withFaces = await run('face-full-range');
    expect(smallerPerson(without.prob)).toBeLessThan(100);
    expect(smallerPerson(withFaces.prob)).toBeGreaterThan(20_000);
    // Both faces, as fractions of the frame: one over each astronaut.
    const faces = withFaces.stage.faces ?? [];
    expect(faces).toHaveLength(2);
    expect(faces.some((f) => f.x1 < 0.4)).toBe(true);
    expect(faces.some((f) => f.x0 > (W - SMALL) / W)).toBe(true);
    expect(without.stage.faces).toBeUndefined();
    // The cached automatic trimaps of the two settings are told apart.
    expect(withFaces.key).not.toBe(without.key);
  }, 120_000);

  it('refuses a model that is not a detector, by name', async () => {
    const engine = createDefaultEngine({ provider: 'cpu', semantic: { detector: 'selfie-landscape' } });
    engines.push(engine);
    await expect(engine.segment('selfie-general', await twoPeople())).rejects.toMatchObject({ code: 'MODEL_MISMATCH', message: expect.stringContaining('selfie-landscape') });
  }, 60_000);
});
