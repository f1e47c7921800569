import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/engine/imaging/raster';
import { segmentMultiView } from '../../../src/engine/semantic/multi-view';
import { cropView, personView, tileViews } from '../../../src/engine/semantic/views';
import { semanticProbability } from '../../../src/engine/semantic';
import { workingImage } from '../../../src/engine/semantic/working-image';

/** 3:2 photo, a red "person" (column + head, `s` times its usual size) left of centre, running out of the bottom edge, and (unless left out) a red speck. */
function scene(width = 600, height = 400, s = 1, withSpeck = true): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 3 * (y * width + x);
      const body = Math.abs(x - 220) < 50 * s && y > height - 220 * s;
      const head = Math.hypot(x - 220, y - (height - 260 * s)) < 45 * s;
      const speck = withSpeck && Math.hypot(x - 540, y - 60) < 12;
      data[i] = body || head || speck ? 220 : 40;
      data[i + 1] = 60 + (x % 7);
      data[i + 2] = 90;
    }
  }
  return { width, height, data };
}

/** A segmenter that is a pure function of each pixel: every view must agree with it exactly. */
const colourKey = async (im: RgbImage) => Float32Array.from({ length: im.width * im.height }, (_, i) => (im.data[3 * i] > 128 ? 1 : 0));

describe('segmentMultiView', () => {
  it('looks at the frame, squares along the long side and a crop around the person, and merges them in place', async () => {
    const image = scene(600, 400, 0.5, false);
    const seen: [number, number][] = [];
    const r = await segmentMultiView(async (im) => (seen.push([im.width, im.height]), colourKey(im)), image, { workingSide: 300 });
    expect(r.work.width).toBe(300);
    expect(r.work.height).toBe(200);
    expect(r.views.map((v) => v.kind)).toEqual(['full', 'tile', 'tile', 'person']);
    // Squares keep the aspect ratio and cover the frame between them.
    expect(seen.slice(1, 3)).toEqual([
      [200, 200],
      [200, 200],
    ]);
    expect(Math.min(...r.views.filter((v) => v.kind === 'tile').map((v) => v.x))).toBe(0);
    expect(Math.max(...r.views.filter((v) => v.kind === 'tile').map((v) => v.x + v.w))).toBe(300);
    // Every view put its answer back where it came from: the merge equals the key itself.
    const expected = await colourKey(workingImage(image, 300));
    let differ = 0;
    for (let i = 0; i < expected.length; i++) if (Math.abs(r.work.prob[i] - expected[i]) > 1e-6) differ++;
    expect(differ).toBe(0);
    expect(r.prob).toHaveLength(image.width * image.height);
  });

  it('leaves out the crop around the person when it would be no closer than the squares', async () => {
    // The person spans most of the frame's height: a square around it is larger than the squares.
    const r = await segmentMultiView(colourKey, scene(), { workingSide: 300 });
    expect(r.views.map((v) => v.kind)).toEqual(['full', 'tile', 'tile']);
  });

  it('leaves out the whole frame when asked and the squares cover it, but not for a square frame', async () => {
    const seen: [number, number][] = [];
    const look = async (im: RgbImage) => (seen.push([im.width, im.height]), colourKey(im));
    const r = await segmentMultiView(look, scene(), { workingSide: 300, full: false, person: false });
    expect(r.views.map((v) => v.kind)).toEqual(['tile', 'tile']);
    expect(seen).toEqual([
      [200, 200],
      [200, 200],
    ]);
    const expected = await colourKey(workingImage(scene(), 300));
    expect(r.work.prob.every((p, i) => Math.abs(p - expected[i]) < 1e-6)).toBe(true);
    const square = await segmentMultiView(colourKey, scene(300, 300), { full: false, person: false });
    expect(square.views.map((v) => v.kind)).toEqual(['full']);
  });

  it('mirrors a view back before merging', async () => {
    const image = scene();
    const r = await segmentMultiView(colourKey, image, { workingSide: 300, mirror: true, tiles: false, person: false });
    expect(r.views.map((v) => v.mirrored)).toEqual([false, true]);
    const { prob } = r.work;
    expect(prob[r.work.width * 150 + 110]).toBe(1); // the body, left of centre, stays there
    expect(prob[r.work.width * 150 + 190]).toBe(0); // not at its mirror image
  });

  it('trusts a view where it is confident over one that is unsure', async () => {
    const image = scene();
    // The whole-frame pass answers 0.5 everywhere; the squares are sure.
    const r = await segmentMultiView(async (im) => (im.width === 300 ? new Float32Array(300 * 200).fill(0.5) : colourKey(im)), image, { workingSide: 300, person: false });
    expect(r.work.prob[r.work.width * 150 + 110]).toBeGreaterThan(0.9);
    expect(r.work.prob[r.work.width * 20 + 150]).toBeLessThan(0.1);
  });
});

describe('views', () => {
  it('tiles only frames that are clearly longer than wide', () => {
    expect(tileViews(100, 100)).toEqual([]);
    expect(tileViews(200, 400).map((v) => [v.x, v.y, v.w, v.h])).toEqual([
      [0, 0, 200, 200],
      [0, 200, 200, 200],
    ]);
  });

  it('frames a person cut by the frame edge past it, and replicates the edge into the crop', () => {
    const view = personView({ x0: 10, y0: 150, x1: 60, y1: 199 }, 300, 200);
    expect(view).not.toBeNull();
    const image: RgbImage = { width: 4, height: 2, data: Uint8Array.from([1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0, 5, 0, 0, 6, 0, 0, 7, 0, 0, 8, 0, 0]) };
    const crop = cropView(image, { kind: 'person', x: -1, y: 1, w: 3, h: 2, mirrored: false });
    expect([...crop.data].filter((_, i) => i % 3 === 0)).toEqual([5, 5, 6, 5, 5, 6]);
  });
});

describe('semanticProbability', () => {
  it('clears the region apart from the subject at full size', async () => {
    const image = scene();
    const r = await semanticProbability(colourKey, image);
    expect(r.selection?.dropped).toBe(1);
    expect(r.prob[60 * image.width + 540]).toBe(0); // the speck
    expect(r.prob[300 * image.width + 220]).toBe(1); // the body
    const all = await semanticProbability(colourKey, image, { subject: false });
    expect(all.prob[60 * image.width + 540]).toBe(1);
  });
});
