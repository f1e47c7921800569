import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/engine/imaging/raster.js';
import { InferenceService } from '../../../src/engine/inference/service.js';
import { SessionRunner } from '../../../src/engine/inference/session-runner.js';
import type { ResolvedModel } from '../../../src/engine/inference/protocol.js';
import { ModelError } from '../../../src/engine/models/errors.js';
import { getModel } from '../../../src/engine/models/registry.js';
import { detectFaces, normalizedBoxes, type Detection } from '../../../src/engine/semantic/detector.js';
import { selectSubject } from '../../../src/engine/semantic/subject.js';
import { personMask } from '../../unit/semantic/scenes.js';
import { ASTRONAUT, gradientImage, loadRgb, noiseImage } from './inputs.js';

// The face of test/fixtures/astronaut-256.png, measured by hand on an 8× enlargement: cheek to
// cheek x 92..134, hairline to chin y 42..89; eye centres (101, 50) and (124, 51).
const FACE = { x0: 92, y0: 42, x1: 134, y1: 89 };
const EYES = [{ x: 101, y: 50 }, { x: 124, y: 51 }];
// In pixels of the 128×128 network input (the image's longer side is scaled to 128): box edges
// within 3 (6 px of the 42×47 px face at 256), eye centres within 3 too (at 320 px the face is
// 17 network pixels wide and one eye lands 2.5 of them from where it is).
const BOX_TOLERANCE = 3;
const EYE_TOLERANCE = 3;

const resolved = (id: string): ResolvedModel => {
  const info = getModel(id);
  return { manifest: info.manifest, onnxPath: info.onnxPath };
};

/** The image pasted at (x, y) on a flat grey canvas. */
function onCanvas(image: RgbImage, width: number, height: number, x: number, y: number): RgbImage {
  const data = new Uint8Array(width * height * 3).fill(128);
  for (let r = 0; r < image.height; r++) data.set(image.data.subarray(r * image.width * 3, (r + 1) * image.width * 3), ((y + r) * width + x) * 3);
  return { width, height, data };
}

/** The image with a rectangle painted one flat colour. */
function painted(image: RgbImage, box: { x0: number; y0: number; x1: number; y1: number }, rgb: [number, number, number]): RgbImage {
  const data = Uint8Array.from(image.data);
  for (let y = box.y0; y <= box.y1; y++) for (let x = box.x0; x <= box.x1; x++) data.set(rgb, (y * image.width + x) * 3);
  return { ...image, data };
}

/** A skin-toned head-and-shoulders silhouette with no features, on a gradient. */
function faceless(size: number): RgbImage {
  const mask = personMask(size, size);
  const bg = gradientImage(size, size);
  const data = Uint8Array.from(bg.data);
  for (let i = 0; i < mask.length; i++) if (mask[i]) data.set([224, 172, 140], i * 3);
  return { width: size, height: size, data };
}

describe('face detector (MediaPipe short range, converted) on the real onnxruntime session', () => {
  let runner: SessionRunner;
  let detector: ResolvedModel;
  let detect: (image: RgbImage) => Promise<Detection[]>;

  beforeAll(() => {
    runner = new SessionRunner('cpu');
    detector = resolved('face-short-range');
    const { manifest } = detector;
    detect = (image) => detectFaces((im) => runner.runOutputs(detector, im, [manifest.output.name, manifest.detection!.scores]), manifest, image);
  });
  afterAll(() => runner.close());

  /** `longSide`: the frame's longer side, which the network sees as 128 px. */
  const expectFace = (d: Detection, longSide: number, dx = 0, dy = 0) => {
    const px = longSide / 128;
    expect(d.score).toBeGreaterThan(0.8);
    expect(Math.abs(d.box.x0 - (FACE.x0 + dx))).toBeLessThanOrEqual(BOX_TOLERANCE * px);
    expect(Math.abs(d.box.y0 - (FACE.y0 + dy))).toBeLessThanOrEqual(BOX_TOLERANCE * px);
    expect(Math.abs(d.box.x1 - (FACE.x1 + dx))).toBeLessThanOrEqual(BOX_TOLERANCE * px);
    expect(Math.abs(d.box.y1 - (FACE.y1 + dy))).toBeLessThanOrEqual(BOX_TOLERANCE * px);
    EYES.forEach((e, k) => expect(Math.hypot(d.keypoints[k].x - (e.x + dx), d.keypoints[k].y - (e.y + dy))).toBeLessThanOrEqual(EYE_TOLERANCE * px));
  };

  it('finds the astronaut\'s face, one box on the hand-measured one', async () => {
    const faces = await detect(await loadRgb(ASTRONAUT));
    console.log(`astronaut face: ${JSON.stringify(faces.map((f) => ({ score: +f.score.toFixed(3), box: Object.values(f.box).map((v) => +v.toFixed(1)) })))}`);
    expect(faces).toHaveLength(1);
    expectFace(faces[0], 256);
  });

  it('the full-range model (192×192, faces farther away) finds the same face', async () => {
    const full = resolved('face-full-range');
    const faces = await detectFaces((im) => runner.runOutputs(full, im, [full.manifest.output.name, full.manifest.detection!.scores]), full.manifest, await loadRgb(ASTRONAUT));
    expect(faces).toHaveLength(1);
    // Its box reaches higher up the forehead than the short-range one's (centre 5 px above the
    // hand-measured one): compare the horizontal centre and the eyes.
    const px = 256 / 192;
    expect(faces[0].score).toBeGreaterThan(0.8);
    expect(Math.abs((faces[0].box.x0 + faces[0].box.x1) / 2 - (FACE.x0 + FACE.x1) / 2)).toBeLessThanOrEqual(BOX_TOLERANCE * px);
    EYES.forEach((e, k) => expect(Math.hypot(faces[0].keypoints[k].x - e.x, faces[0].keypoints[k].y - e.y)).toBeLessThanOrEqual(EYE_TOLERANCE * px));
  });

  it('maps the box back through the letterbox of a wide frame', async () => {
    const faces = await detect(onCanvas(await loadRgb(ASTRONAUT), 320, 288, 50, 20));
    expect(faces).toHaveLength(1);
    expectFace(faces[0], 320, 50, 20);
  });

  it('finds no face where the face is painted over, nor in faceless images', async () => {
    const astronaut = await loadRgb(ASTRONAUT);
    expect(await detect(painted(astronaut, { x0: 86, y0: 36, x1: 140, y1: 95 }, [160, 130, 90]))).toEqual([]);
    expect(await detect(faceless(256))).toEqual([]);
    expect(await detect(gradientImage(256, 256))).toEqual([]);
    expect(await detect(noiseImage(200, 300))).toEqual([]);
  });

  it('keeps the region with a face in the subject selection although a larger region elsewhere is the main one', async () => {
    // The real segmenter's map of the astronaut on the left of a 768×256 frame, a larger false
    // region (a 360×236 block, touching no frame side, far from her) on the right; the face as the
    // detector finds it in the photo.
    const astronaut = await loadRgb(ASTRONAUT);
    const seg = resolved('selfie-general');
    const person = (await runner.run(seg, astronaut)).planes[0];
    const [w, h] = [768, 256];
    const prob = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      prob.set(person.subarray(y * 256, (y + 1) * 256), y * w);
      if (y >= 10 && y < 246) prob.fill(1, y * w + 400, y * w + 760);
    }
    const faces = await detect(astronaut);
    expect(faces).toHaveLength(1);
    const onFrame = normalizedBoxes(faces, 256, 256).map((b) => ({ x0: b.x0 / 3, y0: b.y0, x1: b.x1 / 3, y1: b.y1 }));
    const faceCentre = Math.round((FACE.y0 + FACE.y1) / 2) * w + Math.round((FACE.x0 + FACE.x1) / 2);
    const without = selectSubject(prob, w, h);
    expect(without.kept[faceCentre]).toBe(0); // the block is larger: the astronaut was dropped
    const withFaces = selectSubject(prob, w, h, { faces: onFrame });
    expect(withFaces.kept[faceCentre]).toBe(1);
    expect(withFaces.kept[128 * w + 600]).toBe(1); // the main region stays too
    expect(withFaces.dropped).toBeLessThan(without.dropped);
  });

  it('refuses a segmenter with a typed error', async () => {
    const seg = resolved('selfie-general');
    await expect(detectFaces((im) => runner.runOutputs(seg, im, [seg.manifest.output.name]), seg.manifest, await loadRgb(ASTRONAUT))).rejects.toThrow(ModelError);
  });
});

describe('InferenceService.detectFaces: the detector on the inference thread', () => {
  let service: InferenceService;
  beforeAll(() => {
    service = new InferenceService({ provider: 'cpu' });
  });
  afterAll(() => service.close());

  it('gives the same face as the session in this thread, and a typed error for a segmenter', async () => {
    const { faces, provider, ms } = await service.detectFaces('face-short-range', await loadRgb(ASTRONAUT));
    expect(provider).toBe('cpu');
    expect(ms).toBeGreaterThan(0);
    expect(faces).toHaveLength(1);
    expect(Math.abs(faces[0].box.x0 - FACE.x0)).toBeLessThanOrEqual(BOX_TOLERANCE * 2);
    expect(Math.abs(faces[0].box.y1 - FACE.y1)).toBeLessThanOrEqual(BOX_TOLERANCE * 2);
    const err = await service.detectFaces('selfie-general', await loadRgb(ASTRONAUT)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('MODEL_MISMATCH');
  });
});
