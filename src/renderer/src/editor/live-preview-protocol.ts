/** Messages between the editor and the live preview's worker. */
export type LivePreviewRequest =
  | { type: 'image'; width: number; height: number; rgb: Uint8Array }
  | { type: 'trimap'; seq: number; width: number; height: number; labels: Uint8Array };

export interface LivePreviewReply {
  seq: number;
  width: number;
  height: number;
  /** 0..255 per pixel at the working size. */
  alpha: Uint8ClampedArray;
  /** Time the refinement took in the worker. */
  ms: number;
}
