import { z } from 'zod';

/**
 * Output adjustments of one image, applied after refinement (as Photoshop's Select and Mask
 * applies its Global Refinements): smooth, feather, contrast, shift edge, then colour
 * decontamination by an amount. Radii are in full-resolution image pixels.
 */
export const outputAdjustments = z.strictObject({
  /** Rounds off jagged edges: 0..100 (blur radius 0..10 px, then the edge is re-hardened). */
  smooth: z.number().min(0).max(100).default(0),
  /** Softens the edge: a Gaussian-like blur of the alpha with this radius, 0..250 px. */
  feather: z.number().min(0).max(250).default(0),
  /** Hardens the soft band around alpha 0.5: 0..100 %. */
  contrast: z.number().min(0).max(100).default(0),
  /** Moves the edge out (+) or in (−): −100..100 % of the alpha range. */
  shiftEdge: z.number().min(-100).max(100).default(0),
  /** How far edge colours move to the estimated foreground: 0 leaves the photo's colours, 100 fully decontaminates. */
  decontaminate: z.number().min(0).max(100).default(100),
});
export type OutputAdjustments = z.infer<typeof outputAdjustments>;

export const neutralAdjustments: OutputAdjustments = { smooth: 0, feather: 0, contrast: 0, shiftEdge: 0, decontaminate: 100 };

/** Whether the alpha comes out as it went in (colours may still change with `decontaminate`). */
export function leavesAlpha(a: OutputAdjustments): boolean {
  return a.smooth === 0 && a.feather === 0 && a.contrast === 0 && a.shiftEdge === 0;
}
