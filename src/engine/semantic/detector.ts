/**
 * Finds faces with a single-shot detector (MediaPipe's short-range face detector, converted to
 * ONNX like the segmenter): the image is letterboxed into the network input, each anchor's box and
 * keypoints decoded from its offsets, scores passed through a clipped sigmoid, and overlapping
 * boxes merged by weighted non-maximum suppression, as MediaPipe's face_detection_short_range
 * graph does. Pure TypeScript on typed arrays; the model is a callback.
 */
import type { RgbImage } from '../imaging/raster';
import type { Placement } from '../inference/geometry';
import { ModelError } from '../models/errors';
import type { DetectionHead, ModelManifest } from '../models/manifest';
import { ssdAnchorCenters } from '../models/ssd-anchors';

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A face: box and keypoints in pixels of the image it was found in, score 0..1. */
export interface Detection {
  score: number;
  box: Box;
  /** MediaPipe's order: right eye, left eye, nose tip, mouth, right ear tragion, left ear tragion (the person's sides). */
  keypoints: { x: number; y: number }[];
}

/** Runs the detector network: its raw heads by output name, and where the image sat in its input. */
export type DetectorNetwork = (image: RgbImage) => Promise<{ outputs: Record<string, Float32Array>; placement: Placement }>;

/**
 * Candidates before suppression, coordinates in 0..1 of the network input: per anchor over the
 * score threshold, the box (x0, y0, x1, y1) and keypoints decoded from offsets in input pixels.
 */
export function decodeDetections(regressors: Float32Array, scores: Float32Array, head: DetectionHead, inputW: number, inputH: number): Detection[] {
  const anchors = ssdAnchorCenters(head.strides, inputW, inputH, head.anchorOffset);
  const n = anchors.length / 2;
  const values = 4 + 2 * head.keypoints;
  if (scores.length !== n || regressors.length !== n * values) {
    throw new ModelError('MODEL_MISMATCH', `detector heads have ${scores.length} scores and ${regressors.length} box values; ${n} anchors need ${n} and ${n * values}`);
  }
  const s = head.coordScale;
  const out: Detection[] = [];
  for (let a = 0; a < n; a++) {
    const logit = Math.max(-head.scoreClip, Math.min(head.scoreClip, scores[a]));
    const score = 1 / (1 + Math.exp(-logit));
    if (score < head.minScore) continue;
    const r = a * values;
    const ax = anchors[2 * a];
    const ay = anchors[2 * a + 1];
    // Fixed-size anchors are 1×1: the offsets are the box itself, in units of the input size.
    const cx = regressors[r] / s + ax;
    const cy = regressors[r + 1] / s + ay;
    const w = regressors[r + 2] / s;
    const h = regressors[r + 3] / s;
    const keypoints = Array.from({ length: head.keypoints }, (_, k) => ({ x: regressors[r + 4 + 2 * k] / s + ax, y: regressors[r + 5 + 2 * k] / s + ay }));
    out.push({ score, box: { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 }, keypoints });
  }
  return out;
}

export function iou(a: Box, b: Box): number {
  const iw = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const ih = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Weighted non-maximum suppression (MediaPipe's WEIGHTED algorithm): the best remaining candidate
 * and every one overlapping it by more than `minIou` become one detection, whose box and
 * keypoints are their score-weighted mean and whose score is the best one's. Neighbouring anchors
 * all fire on one face; averaging them steadies the box more than keeping the best alone.
 */
export function weightedNms(candidates: Detection[], minIou: number): Detection[] {
  let remaining = [...candidates].sort((a, b) => b.score - a.score);
  const out: Detection[] = [];
  while (remaining.length) {
    const best = remaining[0];
    const group: Detection[] = [];
    const rest: Detection[] = [];
    for (const d of remaining) (d === best || iou(best.box, d.box) > minIou ? group : rest).push(d);
    let total = 0;
    const box = { x0: 0, y0: 0, x1: 0, y1: 0 };
    const keypoints = best.keypoints.map(() => ({ x: 0, y: 0 }));
    for (const d of group) {
      total += d.score;
      box.x0 += d.box.x0 * d.score;
      box.y0 += d.box.y0 * d.score;
      box.x1 += d.box.x1 * d.score;
      box.y1 += d.box.y1 * d.score;
      d.keypoints.forEach((k, i) => {
        keypoints[i].x += k.x * d.score;
        keypoints[i].y += k.y * d.score;
      });
    }
    out.push({
      score: best.score,
      box: { x0: box.x0 / total, y0: box.y0 / total, x1: box.x1 / total, y1: box.y1 / total },
      keypoints: keypoints.map((k) => ({ x: k.x / total, y: k.y / total })),
    });
    remaining = rest;
  }
  return out;
}

/** From 0..1 of the network input to image pixels, undoing the letterbox. */
function toImage(d: Detection, p: Placement, netW: number, netH: number, imageW: number, imageH: number): Detection {
  const x = (v: number) => ((v * netW - p.x) / p.w) * imageW;
  const y = (v: number) => ((v * netH - p.y) / p.h) * imageH;
  return { score: d.score, box: { x0: x(d.box.x0), y0: y(d.box.y0), x1: x(d.box.x1), y1: y(d.box.y1) }, keypoints: d.keypoints.map((k) => ({ x: x(k.x), y: y(k.y) })) };
}

/** The faces in `image`, best first, in its pixels. Throws ModelError (MODEL_MISMATCH) for a model that is not a detector. */
export async function detectFaces(network: DetectorNetwork, manifest: ModelManifest, image: RgbImage): Promise<Detection[]> {
  const head = manifest.detection;
  if (manifest.role !== 'detector' || !head) throw new ModelError('MODEL_MISMATCH', `model ${manifest.id} has role ${manifest.role}; face detection needs a detector`);
  const { outputs, placement } = await network(image);
  const { width: W, height: H } = manifest.input;
  const regressors = outputs[manifest.output.name];
  const scores = outputs[head.scores];
  if (!regressors || !scores) throw new ModelError('MODEL_MISMATCH', `model ${manifest.id} did not return ${manifest.output.name} and ${head.scores}`);
  return weightedNms(decodeDetections(regressors, scores, head, W, H), head.minSuppressionIou).map((d) => toImage(d, placement, W, H, image.width, image.height));
}
