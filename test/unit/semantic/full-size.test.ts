import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/engine/imaging/raster';
import { resizeBilinear } from '../../../src/engine/inference/resize';
import { paintFullSize } from '../../../src/engine/semantic/full-size';
import { semanticProbability, semanticStage } from '../../../src/engine/semantic';
import { nearestLookup } from '../../../src/engine/semantic/working-image';
import { mulberry32 } from '../../helpers/random';

/** A smooth random map (a sum of a few blobs) with values across 0..1, and a random band mask. */
function plannedMap(width: number, height: number, seed: number) {
  const random = mulberry32(seed);
  const blobs = Array.from({ length: 5 }, () => ({ x: random() * width, y: random() * height, r: 3 + random() * width * 0.3, s: random() < 0.5 ? -1 : 1 }));
  const prob = new Float32Array(width * height);
  const unknown = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0.4;
      for (const b of blobs) v += b.s * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (b.r * b.r));
      prob[y * width + x] = Math.min(1, Math.max(0, v));
      unknown[y * width + x] = random() < 0.3 ? 1 : 0;
    }
  }
  return { width, height, prob, unknown };
}

describe('paintFullSize', () => {
  it('equals the full bilinear upsample inside the band and the nearest planned value outside it', () => {
    for (const [pw, ph, w, h, seed] of [
      [40, 27, 173, 115, 1],
      [27, 40, 64, 97, 2],
      [30, 30, 30, 30, 3],
      [40, 30, 25, 50, 4],
    ]) {
      const map = plannedMap(pw, ph, seed);
      const { trimap, prob } = paintFullSize(map, 0.5, w, h);
      const full = resizeBilinear(map.prob, pw, ph, 1, w, h);
      const { cols, rows } = nearestLookup(w, h, pw, ph);
      let inside = 0;
      let wrong = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = y * w + x;
          const near = rows[y] + cols[x];
          if (map.unknown[near]) {
            inside++;
            if (trimap[i] !== 128 || prob[i] !== full[i]) wrong++;
          } else if (trimap[i] !== (map.prob[near] >= 0.5 ? 255 : 0) || prob[i] !== map.prob[near]) wrong++;
        }
      }
      expect(wrong).toBe(0);
      expect(inside).toBeGreaterThan(0.2 * w * h);
    }
  });
});

/** 3:2 photo, larger than the working size: a red person (column + head), a red speck, a soft red edge on the right. */
function scene(width = 900, height = 600): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 3 * (y * width + x);
      const body = Math.abs(x - 330) < 75 && y > 270;
      const head = Math.hypot(x - 330, y - 210) < 68;
      const speck = Math.hypot(x - 810, y - 90) < 18;
      data[i] = body || head || speck ? 220 : 40;
      data[i + 1] = 60 + (x % 7);
      data[i + 2] = 90;
    }
  }
  return { width, height, data };
}

/** A segmenter with soft edges: the red channel, smoothed by the resize it sees, as a probability. */
const redness = async (im: RgbImage) => Float32Array.from({ length: im.width * im.height }, (_, i) => Math.min(1, Math.max(0, (im.data[3 * i] - 40) / 180)));

describe('semanticStage (views and smart band)', () => {
  it('gives the trimap and probability of a full-size upsample without making one', async () => {
    const image = scene();
    const stage = await semanticStage(redness, image);
    const reference = await semanticProbability(redness, image);
    expect(stage.ms.upsample).toBeUndefined();
    expect(reference.ms.upsample).toBeGreaterThanOrEqual(0);
    const trimap = stage.band!.trimap;
    let band = 0;
    for (let i = 0; i < trimap.length; i++) {
      if (trimap[i] === 128) {
        band++;
        if (stage.prob[i] !== reference.prob[i]) throw new Error(`pixel ${i}: probability ${stage.prob[i]} in the band, ${reference.prob[i]} upsampled`);
      } else if (trimap[i] !== (reference.prob[i] >= 0.5 ? 255 : 0)) throw new Error(`pixel ${i}: trimap ${trimap[i]}, upsampled probability ${reference.prob[i]}`);
    }
    expect(band).toBeGreaterThan(1000);
    expect(stage.selection?.dropped).toBe(1);
    expect(trimap[90 * image.width + 810]).toBe(0); // the speck, dropped
    expect(trimap[450 * image.width + 330]).toBe(255); // the body
  });
});
