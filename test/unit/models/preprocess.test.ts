import { describe, expect, it } from 'vitest';
import { ModelManifest, type ModelManifestInput } from '../../../src/engine/models/manifest.js';
import { preprocess } from '../../../src/engine/inference/preprocess.js';
import { postprocess } from '../../../src/engine/inference/postprocess.js';
import { fuseShm } from '../../../src/engine/matting/alpha/fusion.js';
import { placeImage } from '../../../src/engine/inference/geometry.js';
import { resizeBilinear } from '../../../src/engine/inference/resize.js';
import { mulberry32 } from '../../helpers/random.js';

function manifest(input: Partial<ModelManifestInput['input']>, w: number, h: number): ModelManifest {
  return ModelManifest.parse({
    id: 'm',
    name: 'm',
    role: 'segmenter',
    input: { name: 'x', width: w, height: h, layout: 'NHWC', channelOrder: 'RGB', normalize: { mean: [0, 0, 0], std: [1, 1, 1] }, resize: 'stretch', ...input },
    output: { name: 'y', layout: 'NHWC', meaning: 'foreground-probability' },
    license: { name: 't' },
    preparation: { method: 'user-onnx' },
  });
}

const twoPixels = { width: 2, height: 1, data: Uint8Array.of(10, 20, 30, 40, 50, 60) };

describe('preprocess', () => {
  it('NHWC, RGB, identity normalisation keeps the pixels', () => {
    const r = preprocess(manifest({}, 2, 1), twoPixels);
    expect(r.dims).toEqual([1, 1, 2, 3]);
    expect(Array.from(r.data)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('NCHW puts each channel in its own plane', () => {
    const r = preprocess(manifest({ layout: 'NCHW' }, 2, 1), twoPixels);
    expect(r.dims).toEqual([1, 3, 1, 2]);
    expect(Array.from(r.data)).toEqual([10, 40, 20, 50, 30, 60]);
  });

  it('BGR order with per-channel mean and std (mean/std given in network channel order)', () => {
    const r = preprocess(manifest({ channelOrder: 'BGR', normalize: { mean: [1, 2, 3], std: [2, 4, 8] } }, 2, 1), twoPixels);
    expect(Array.from(r.data)).toEqual([(30 - 1) / 2, (20 - 2) / 4, (10 - 3) / 8, (60 - 1) / 2, (50 - 2) / 4, (40 - 3) / 8]);
  });

  it('stretch resizes with pixel-centre bilinear (2×1 → 4×1)', () => {
    const r = preprocess(manifest({}, 4, 1), twoPixels);
    // Output centres at 0.5,1.5,2.5,3.5 map to source x = -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    expect(Array.from(r.data.filter((_, i) => i % 3 === 0))).toEqual([10, 17.5, 32.5, 40]);
  });

  it('letterbox centres the image and fills the margins with padValue', () => {
    const img = { width: 4, height: 2, data: new Uint8Array(4 * 2 * 3).fill(200) };
    const r = preprocess(manifest({ resize: 'letterbox', padValue: 7 }, 4, 4), img);
    expect(r.placement).toEqual({ x: 0, y: 1, w: 4, h: 2 });
    const row = (y: number) => Array.from(r.data.slice(y * 12, y * 12 + 12));
    expect(row(0)).toEqual(new Array(12).fill(7));
    expect(row(1)).toEqual(new Array(12).fill(200));
    expect(row(2)).toEqual(new Array(12).fill(200));
    expect(row(3)).toEqual(new Array(12).fill(7));
  });
});

describe('preprocess in one pass', () => {
  const random = mulberry32(11);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));

  it('a resized image gives exactly the bilinear resize, then (v - mean) / std', () => {
    const image = { width: 7, height: 5, data: bytes(7 * 5 * 3) };
    const m = manifest({ channelOrder: 'BGR', normalize: { mean: [10.5, 3, 120], std: [58.4, 255, 0.7] } }, 4, 6);
    const resized = resizeBilinear(image.data, 7, 5, 3, 4, 6);
    const expected = new Float32Array(4 * 6 * 3);
    for (let p = 0; p < 4 * 6; p++) for (let c = 0; c < 3; c++) expected[p * 3 + c] = (resized[p * 3 + 2 - c] - m.input.normalize.mean[c]) / m.input.normalize.std[c];
    expect(Array.from(preprocess(m, image).data)).toEqual(Array.from(expected));
  });

  it('writes every value of a tensor handed back for reuse: letterbox margins and an M-Net\'s trimap planes too', () => {
    const image = { width: 5, height: 3, data: bytes(5 * 3 * 3) };
    const plane = () => Float32Array.from({ length: 15 }, () => random());
    const trimap = { background: plane(), unknown: plane(), foreground: plane() };
    const m = ModelManifest.parse({
      ...manifest({}, 6, 6),
      role: 'matting',
      input: { name: 'x', width: 6, height: 6, layout: 'NCHW', channelOrder: 'RGB', normalize: { mean: [1, 2, 3], std: [2, 4, 8] }, resize: 'letterbox', padValue: 9, trimapChannels: ['background', 'unknown', 'foreground'] },
      output: { name: 'y', layout: 'NHWC', meaning: 'alpha' },
    });
    const fresh = preprocess(m, image, trimap);
    const spare = new Float32Array(fresh.data.length).fill(Number.NaN);
    const reused = preprocess(m, image, trimap, spare);
    expect(reused.data).toBe(spare);
    expect(Array.from(reused.data)).toEqual(Array.from(fresh.data));
    // A tensor of another length is not written over.
    expect(preprocess(m, image, trimap, new Float32Array(3)).data).toHaveLength(fresh.data.length);
  });
});

describe('postprocess', () => {
  it('crops the letterbox content and maps it back to image size', () => {
    const m = manifest({ resize: 'letterbox' }, 4, 4);
    const placement = placeImage(4, 2, 4, 4, 'letterbox');
    const out = Float32Array.from({ length: 16 }, (_, i) => i); // NHWC, one channel: value = pixel index
    const [plane] = postprocess(m, { data: out, dims: [1, 4, 4, 1] }, placement, 4, 2);
    expect(Array.from(plane)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('clampUnit clamps at the network resolution; the planes at image size stay in 0..1', () => {
    const m = manifest({}, 2, 2);
    const out = Float32Array.of(-0.5, 1.5, 0.25, 2);
    const [plane] = postprocess(m, { data: out, dims: [1, 2, 2, 1] }, placeImage(4, 4, 2, 2, 'stretch'), 4, 4, { clampUnit: true });
    expect(Math.min(...plane)).toBe(0);
    expect(Math.max(...plane)).toBe(1);
    // Output (1, 1) sits a quarter of the way from (0, 0) to (1, 1) in both axes, over the clamped
    // values 0, 1 / 0.25, 1: top 0.25, bottom 0.4375, so 0.296875 (unclamped it would be 0.171875).
    expect(plane[5]).toBe(0.296875);
    expect(Array.from(out)).toEqual([-0.5, 1.5, 0.25, 2]); // the tensor itself is left alone
  });

  it('ownsTensor: a session\'s fresh output is clamped in place and is the plane itself when no resize is needed', () => {
    const m = manifest({}, 2, 2);
    const out = Float32Array.of(-0.5, 1.5, 0.25, 2);
    const [same] = postprocess(m, { data: out, dims: [1, 2, 2, 1] }, placeImage(2, 2, 2, 2, 'stretch'), 2, 2, { clampUnit: true, ownsTensor: true });
    expect(same).toBe(out);
    expect(Array.from(same)).toEqual([0, 1, 0.25, 1]);
    // Resized, the plane is a new array made from the clamped values.
    const [larger] = postprocess(m, { data: Float32Array.of(-0.5, 1.5, 0.25, 2), dims: [1, 2, 2, 1] }, placeImage(4, 4, 2, 2, 'stretch'), 4, 4, { clampUnit: true, ownsTensor: true });
    expect(larger[5]).toBe(0.296875);
  });

  it('applies softmax across channels of NCHW logits', () => {
    const m = ModelManifest.parse({
      ...manifest({}, 1, 1),
      role: 'trimap',
      output: { name: 'y', layout: 'NCHW', meaning: 'trimap-logits', activation: 'softmax', classes: ['background', 'unknown', 'foreground'] },
    });
    const planes = postprocess(m, { data: Float32Array.of(0, Math.log(2), Math.log(5)), dims: [1, 3, 1, 1] }, placeImage(1, 1, 1, 1, 'stretch'), 1, 1);
    expect(planes.map((p) => p[0])).toEqual([1 / 8, 2 / 8, 5 / 8].map((v) => expect.closeTo(v, 7)));
  });
});

describe('fuseShm', () => {
  it('computes Fs + Us * alpha_r and clamps to 0..1', () => {
    const a = fuseShm(Float32Array.of(0, 0.5, 1, 0.9), Float32Array.of(1, 0.5, 0, 0.5), Float32Array.of(0.25, 0.5, 0.7, 1));
    expect(Array.from(a)).toEqual([0.25, 0.75, 1, 1]);
  });

  it('rejects planes of different sizes', () => {
    expect(() => fuseShm(new Float32Array(2), new Float32Array(3), new Float32Array(2))).toThrow(/differ/);
  });
});
