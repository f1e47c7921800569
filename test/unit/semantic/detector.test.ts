import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/engine/models/errors';
import type { DetectionHead } from '../../../src/engine/models/manifest';
import { ssdAnchorCenters, ssdAnchorCount } from '../../../src/engine/models/ssd-anchors';
import { decodeDetections, faceFramedBox, iou, regionsUnderFaces, weightedNms, type Detection } from '../../../src/engine/semantic/detector';
import { labelRegions } from '../../../src/engine/semantic/subject';
import { personView } from '../../../src/engine/semantic/views';

// The short-range face detector's head, as models/face-short-range.json gives it.
const HEAD: DetectionHead = { scores: 'classificators', strides: [8, 16, 16, 16], anchorsPerLayer: 2, anchorOffset: 0.5, keypoints: 6, coordScale: 128, scoreClip: 100, minScore: 0.5, minSuppressionIou: 0.3 };

describe('SSD anchors (MediaPipe layout, fixed size)', () => {
  it('short-range face detector: 16×16 cells × 2 anchors at stride 8, then 8×8 × 6 for the three stride-16 layers', () => {
    expect(ssdAnchorCount(HEAD.strides, 2, 128, 128)).toBe(896);
    const a = ssdAnchorCenters(HEAD.strides, 2, 128, 128, 0.5);
    // Anchors 0 and 1 share the first stride-8 cell; anchor 2 is the next cell along the row.
    expect([a[0], a[1], a[2], a[3], a[4], a[5]]).toEqual([0.5 / 16, 0.5 / 16, 0.5 / 16, 0.5 / 16, 1.5 / 16, 0.5 / 16]);
    // Anchor 32 starts the second row of cells.
    expect([a[64], a[65]]).toEqual([0.5 / 16, 1.5 / 16]);
    // Anchors 512..517 are the first stride-16 cell; 518 the next one.
    for (let k = 512; k < 518; k++) expect([a[2 * k], a[2 * k + 1]]).toEqual([0.5 / 8, 0.5 / 8]);
    expect([a[2 * 518], a[2 * 518 + 1]]).toEqual([1.5 / 8, 0.5 / 8]);
    expect([a[2 * 895], a[2 * 895 + 1]]).toEqual([7.5 / 8, 7.5 / 8]);
  });

  it('full-range face detector: one anchor per cell of a 48×48 grid (stride 4 on 192×192)', () => {
    expect(ssdAnchorCount([4], 1, 192, 192)).toBe(2304);
    const a = ssdAnchorCenters([4], 1, 192, 192, 0.5);
    [a[2], a[3], a[2 * 48], a[2 * 48 + 1]].forEach((v, i) => expect(v).toBeCloseTo([1.5 / 48, 0.5 / 48, 0.5 / 48, 1.5 / 48][i], 6));
  });
});

function heads(entries: { anchor: number; logit: number; values: number[] }[]): { regressors: Float32Array; scores: Float32Array } {
  const regressors = new Float32Array(896 * 16);
  const scores = new Float32Array(896).fill(-10);
  for (const e of entries) {
    scores[e.anchor] = e.logit;
    regressors.set(e.values, e.anchor * 16);
  }
  return { regressors, scores };
}

describe('box and keypoint decoding', () => {
  it('offsets in input pixels from the anchor centre, sizes in input pixels; scores through a sigmoid and the threshold', () => {
    // Anchor 518: centre (1.5/8, 0.5/8) = (24, 8) px of 128. Box centre +8 px right, +4 px down, 32×16 px; first keypoint −4, −2.
    const values = [8, 4, 32, 16, -4, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const { regressors, scores } = heads([{ anchor: 518, logit: 2, values }, { anchor: 3, logit: -0.1, values }]);
    const d = decodeDetections(regressors, scores, HEAD, 128, 128);
    expect(d).toHaveLength(1); // sigmoid(-0.1) < 0.5
    expect(d[0].score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    const px = (v: number) => v * 128;
    expect([px(d[0].box.x0), px(d[0].box.y0), px(d[0].box.x1), px(d[0].box.y1)].map((v) => +v.toFixed(4))).toEqual([16, 4, 48, 20]);
    expect([px(d[0].keypoints[0].x), px(d[0].keypoints[0].y)].map((v) => +v.toFixed(4))).toEqual([20, 6]);
    expect(d[0].keypoints).toHaveLength(6);
  });

  it('refuses heads of the wrong size with a typed error', () => {
    expect(() => decodeDetections(new Float32Array(10), new Float32Array(896), HEAD, 128, 128)).toThrow(ModelError);
  });
});

describe('weighted non-maximum suppression', () => {
  const det = (score: number, x0: number, y0: number, x1: number, y1: number, kx = 0): Detection => ({ score, box: { x0, y0, x1, y1 }, keypoints: [{ x: kx, y: 0 }] });

  it('IoU of two boxes', () => {
    expect(iou({ x0: 0, y0: 0, x1: 2, y1: 2 }, { x0: 1, y0: 0, x1: 3, y1: 2 })).toBeCloseTo(2 / 6, 10);
    expect(iou({ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 2, y0: 2, x1: 3, y1: 3 })).toBe(0);
  });

  it('merges overlapping boxes into their score-weighted mean with the best score, and keeps a separate face apart', () => {
    const out = weightedNms([det(0.6, 2, 0, 12, 10, 4), det(0.9, 0, 0, 10, 10, 1), det(0.8, 50, 50, 60, 60, 55)], 0.3);
    expect(out).toHaveLength(2);
    expect(out[0].score).toBe(0.9);
    // (0.9·0 + 0.6·2) / 1.5 = 0.8; (0.9·10 + 0.6·12) / 1.5 = 10.8; keypoint (0.9·1 + 0.6·4) / 1.5 = 2.2
    expect(out[0].box.x0).toBeCloseTo(0.8, 10);
    expect(out[0].box.x1).toBeCloseTo(10.8, 10);
    expect(out[0].keypoints[0].x).toBeCloseTo(2.2, 10);
    expect(out[1]).toEqual(det(0.8, 50, 50, 60, 60, 55));
  });

  it('keeps boxes that overlap by no more than the threshold', () => {
    // IoU 2/6 = 0.33 > 0.3 merges; at 0.4 they stay apart.
    expect(weightedNms([det(0.9, 0, 0, 2, 2), det(0.8, 1, 0, 3, 2)], 0.4)).toHaveLength(2);
    expect(weightedNms([det(0.9, 0, 0, 2, 2), det(0.8, 1, 0, 3, 2)], 0.3)).toHaveLength(1);
  });
});

describe('faces frame the person crop and mark their regions', () => {
  // A 512×340 map; the face 30×40 px at x 100..130, y 60..100.
  const [w, h] = [512, 340];
  const face = { x0: 100 / w, y0: 60 / h, x1: 130 / w, y1: 100 / h };

  it('foreground beyond a body\'s reach of the face leaves the box; with none left, the face box is the person\'s', () => {
    // Found: the person plus a false region out to x 500.
    const box = faceFramedBox({ x0: 40, y0: 80, x1: 500, y1: 339 }, [face], w, h);
    // Reach: centre 115 ± 4 face widths (120) → x ≤ 235.
    expect(box).toEqual({ x0: 40, y0: 80, x1: 235, y1: 339 });
    expect(faceFramedBox({ x0: 40, y0: 80, x1: 500, y1: 339 }, [], w, h)).toEqual({ x0: 40, y0: 80, x1: 500, y1: 339 });
    // Only a false region far to the right: the face's own box.
    expect(faceFramedBox({ x0: 300, y0: 0, x1: 500, y1: 339 }, [face], w, h)).toEqual({ x0: 100, y0: 60, x1: 130, y1: 100 });
  });

  it('makes the person view a square around that person instead of the frame-wide box', () => {
    const found = { x0: 40, y0: 80, x1: 500, y1: 339 };
    expect(personView(found, w, h)).toBeNull(); // as wide as the frame: no crop
    const view = personView(found, w, h, 0.15, [face]);
    expect(view).not.toBeNull();
    expect(view!.x).toBeLessThanOrEqual(40);
    expect(view!.x + view!.w).toBeGreaterThanOrEqual(236);
    expect(view!.y).toBeLessThanOrEqual(80);
    expect(view!.w).toBeLessThan(0.9 * w);
  });

  it('finds the region under each face', () => {
    const mask = new Uint8Array(w * h);
    for (let y = 50; y < h; y++) for (let x = 90; x < 140; x++) mask[y * w + x] = 1; // the person
    for (let y = 0; y < h; y++) for (let x = 300; x < 500; x++) mask[y * w + x] = 1; // a larger region
    const { labels } = labelRegions(mask, w, h);
    const person = labels[200 * w + 100];
    expect(regionsUnderFaces(labels, w, h, [face])).toEqual(new Set([person]));
    expect(regionsUnderFaces(labels, w, h, [{ x0: 0.01, y0: 0.01, x1: 0.05, y1: 0.05 }])).toEqual(new Set());
  });
});
