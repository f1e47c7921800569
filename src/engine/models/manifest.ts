import { z } from 'zod';

export const MODEL_ROLES = ['segmenter', 'trimap', 'matting', 'end2end', 'detector'] as const;
export const TRIMAP_CLASSES = ['background', 'unknown', 'foreground'] as const;

const triple = z.tuple([z.number(), z.number(), z.number()]);
const classOrder = z
  .tuple([z.enum(TRIMAP_CLASSES), z.enum(TRIMAP_CLASSES), z.enum(TRIMAP_CLASSES)])
  .refine((c) => new Set(c).size === 3, 'each trimap class must appear once');

export const ModelInput = z.object({
  name: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  layout: z.enum(['NHWC', 'NCHW']),
  /** Order of the colour channels the network expects. */
  channelOrder: z.enum(['RGB', 'BGR']),
  /** Per channel (in channelOrder), applied to 0..255 values: x = (v - mean) / std. */
  normalize: z.object({ mean: triple, std: triple.refine((s) => s.every((v) => v !== 0), 'std must be non-zero') }),
  /** stretch: resize to the input size ignoring aspect; letterbox: fit inside, pad with `padValue` (0..255). */
  resize: z.enum(['stretch', 'letterbox']),
  padValue: z.number().min(0).max(255).default(0),
  /** Matting role only: the trimap probabilities appended as 3 more channels, in this class order. */
  trimapChannels: classOrder.optional(),
});

export const ModelOutput = z.object({
  name: z.string().min(1),
  layout: z.enum(['NHWC', 'NCHW']),
  /**
   * foreground-probability (segmenter), trimap-logits (trimap), alpha (matting, end2end),
   * box-regressors (detector: [1, anchors, 4 + 2·keypoints], values last, hence layout NHWC).
   */
  meaning: z.enum(['foreground-probability', 'trimap-logits', 'alpha', 'box-regressors']),
  /** Applied to the raw output: sigmoid/softmax when the graph stops at logits. */
  activation: z.enum(['none', 'sigmoid', 'softmax']).default('none'),
  /** trimap-logits only: which class each of the 3 channels is. */
  classes: classOrder.optional(),
});

/**
 * A single-shot detector's head (detector role), as MediaPipe's face detector describes it: SSD
 * anchors of fixed unit size on a grid per stride (consecutive equal strides share a grid, one or
 * two anchors per layer and cell), box and keypoint offsets in input pixels from each anchor's centre.
 */
export const DetectionHead = z.object({
  /** The output with one score logit per anchor, [1, anchors, 1]. */
  scores: z.string().min(1),
  strides: z.array(z.number().int().positive()).min(1),
  /** Anchors per layer and cell: 2 with MediaPipe's interpolated scale (short range), 1 without (full range). */
  anchorsPerLayer: z.union([z.literal(1), z.literal(2)]),
  /** Anchor centre within its cell (0.5: the middle). */
  anchorOffset: z.number().min(0).max(1),
  keypoints: z.number().int().min(0),
  /** Box width/height and centre offsets are divided by this (the input size the model was trained at). */
  coordScale: z.number().positive(),
  /** Logits are clipped to ±this before the sigmoid (MediaPipe's score_clipping_thresh). */
  scoreClip: z.number().positive(),
  minScore: z.number().min(0).max(1),
  /** Weighted non-maximum suppression: boxes overlapping the best by more than this IoU are merged into it. */
  minSuppressionIou: z.number().min(0).max(1),
});

export const ModelSource = z.object({
  package: z.string().min(1),
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ModelManifest = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
    name: z.string().min(1),
    role: z.enum(MODEL_ROLES),
    input: ModelInput,
    output: ModelOutput,
    license: z.object({ name: z.string().min(1), url: z.string().optional() }),
    source: ModelSource.optional(),
    /** Detector role only: how to turn the outputs into boxes. */
    detection: DetectionHead.optional(),
    preparation: z.discriminatedUnion('method', [
      z.object({ method: z.literal('tflite-to-onnx'), notes: z.string().optional() }),
      z.object({ method: z.literal('user-onnx'), addedAt: z.string().optional() }),
    ]),
  })
  .superRefine((m, ctx) => {
    const issue = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
    const expected = { segmenter: 'foreground-probability', trimap: 'trimap-logits', matting: 'alpha', end2end: 'alpha', detector: 'box-regressors' }[m.role];
    if (m.output.meaning !== expected) issue(`role ${m.role} needs output meaning ${expected}`, ['output', 'meaning']);
    if (m.role === 'trimap' && !m.output.classes) issue('a trimap model must name its output class order', ['output', 'classes']);
    if ((m.role === 'matting') !== (m.input.trimapChannels !== undefined)) {
      issue('input.trimapChannels is required for, and only for, the matting role', ['input', 'trimapChannels']);
    }
    if ((m.role === 'detector') !== (m.detection !== undefined)) issue('detection is required for, and only for, the detector role', ['detection']);
    if (m.preparation.method === 'tflite-to-onnx' && !m.source) issue('a converted model must name its source', ['source']);
  });

export type ModelManifest = z.infer<typeof ModelManifest>;
export type ModelManifestInput = z.input<typeof ModelManifest>;
export type ModelRole = (typeof MODEL_ROLES)[number];
export type DetectionHead = z.infer<typeof DetectionHead>;
export type TrimapClass = (typeof TRIMAP_CLASSES)[number];

export { inputChannels, outputChannels } from './channels.js';
