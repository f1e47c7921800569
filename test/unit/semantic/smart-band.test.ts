import { describe, expect, it } from 'vitest';
import { MattingError } from '../../../src/engine/matting/errors';
import { sad } from '../../../src/engine/matting/metrics/metrics';
import { refineAlpha } from '../../../src/engine/matting/alpha/refine';
import { makeTrimap } from '../../../src/engine/matting/trimap/trimap';
import { squaredDistanceTo } from '../../../src/engine/matting/trimap/morphology';
import { smartTrimap } from '../../../src/engine/semantic/smart-band';
import { mulberry32 } from '../../helpers/random';
import { hairScene } from './scenes';

/** Unknown pixels in a run along a row (dx=1) or column (dy=1) from (x, y) for `len` steps. */
function unknownAlong(trimap: Uint8Array, width: number, x: number, y: number, dx: number, dy: number, len: number): number {
  let n = 0;
  for (let k = 0; k < len; k++) if (trimap[(y + k * dy) * width + x + k * dx] === 128) n++;
  return n;
}

describe('smartTrimap', () => {
  const scene = hairScene(320);
  const { width, height, head, torsoLeft } = scene;

  it('draws the band wider on a hair-like edge than on a straight one', () => {
    const { trimap } = smartTrimap(scene.prob, scene.image);
    // Up through the hair above the head, and across the torso's straight left side.
    const hairBand = unknownAlong(trimap, width, Math.round(head.cx), 0, 0, 1, Math.round(head.cy));
    const y = Math.round(height * 0.8);
    const straightBand = unknownAlong(trimap, width, torsoLeft - 40, y, 1, 0, 80);
    expect(straightBand).toBeGreaterThan(0);
    expect(hairBand).toBeGreaterThan(2.5 * straightBand);
  });

  it('adds every uncertain pixel within reach of the band, measured over the whole frame', () => {
    // A crisp disc (its right edge at x = 230) and soft specks right of it, all outside the band:
    // within reach of it (x 236..245) or far (x 300..379), so their box holds no band pixel. The
    // frame is no larger than the plan, so the band is planned on it as it is.
    const w = 380;
    const h = 300;
    const random = mulberry32(11);
    const prob = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) prob[y * w + x] = Math.hypot(x - 150, y - 160) < 80 ? 1 : 0;
    const speck = (x0: number, span: number) => (prob[(140 + Math.floor(random() * 40)) * w + x0 + Math.floor(random() * span)] = 0.15 + 0.3 * random()); // below the threshold: no band of their own
    for (let k = 0; k < 60; k++) speck(236, 10);
    for (let k = 0; k < 100; k++) speck(300, 80);
    const image = { width: w, height: h, data: new Uint8Array(w * h * 3) };
    const bare = smartTrimap(prob, image, { uncertain: [0, 0] }).trimap;
    const band = Uint8Array.from(bare, (v) => (v === 128 ? 1 : 0));
    const long = Math.max(w, h);
    const thin = Math.max(1.5, 0.004 * long);
    const reach = Math.max(thin, 0.025 * long) - thin;
    const d2 = squaredDistanceTo(w, h, band);
    const expected = Uint8Array.from(bare, (v, i) => (prob[i] > 0.1 && prob[i] < 0.9 && d2[i] <= reach * reach ? 128 : v));
    const { trimap } = smartTrimap(prob, image);
    let added = 0;
    for (let i = 0; i < trimap.length; i++) if (trimap[i] === 128 && bare[i] !== 128) added++;
    expect(added).toBeGreaterThan(5);
    expect(Buffer.from(trimap).equals(Buffer.from(expected))).toBe(true);
  });

  it('refines the hair composite to a lower SAD than the fixed band does', async () => {
    const smart = smartTrimap(scene.prob, scene.image).trimap;
    const fixed = makeTrimap(scene.prob, width, height);
    const aSmart = await refineAlpha(scene.image, smart, { method: 'closed-form' });
    const aFixed = await refineAlpha(scene.image, fixed, { method: 'closed-form' });
    const sadSmart = sad(aSmart, scene.alpha, width, height);
    const sadFixed = sad(aFixed, scene.alpha, width, height);
    expect(sadSmart).toBeLessThan(0.8 * sadFixed);
  });

  it('scales the band with its setting', () => {
    const count = (t: Uint8Array) => t.reduce((n, v) => n + (v === 128 ? 1 : 0), 0);
    const half = count(smartTrimap(scene.prob, scene.image, { scale: 0.5 }).trimap);
    const one = count(smartTrimap(scene.prob, scene.image).trimap);
    const double = count(smartTrimap(scene.prob, scene.image, { scale: 2 }).trimap);
    expect(half).toBeLessThan(one);
    expect(one).toBeLessThan(double);
  });

  it('puts no band along the frame edge where the subject is cut', () => {
    const { trimap } = smartTrimap(scene.prob, scene.image);
    const bottom = trimap.subarray((height - 1) * width + torsoLeft + 20, height * width - torsoLeft - 20);
    expect([...bottom].every((v) => v === 255)).toBe(true);
  });

  it('keeps foreground and background exact outside the band at full size', () => {
    const { trimap } = smartTrimap(scene.prob, scene.image, { planSide: 100 });
    let wrong = 0;
    for (let i = 0; i < trimap.length; i++) if (trimap[i] !== 128 && trimap[i] !== (scene.prob[i] >= 0.5 ? 255 : 0)) wrong++;
    expect(wrong).toBe(0);
  });

  it('rejects unusable options and sizes with a typed error', () => {
    expect(() => smartTrimap(scene.prob, scene.image, { scale: -1 })).toThrow(MattingError);
    expect(() => smartTrimap(scene.prob, scene.image, { thin: 0.05, wide: 0.01 })).toThrow(/wide/);
    expect(() => smartTrimap(scene.prob.subarray(1), scene.image)).toThrow(MattingError);
  });
});
