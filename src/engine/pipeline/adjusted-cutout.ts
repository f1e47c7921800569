import type Database from 'better-sqlite3';
import { adjustAlpha, blendForeground } from '../matting/alpha/output-adjust';
import { readAdjustments } from '../project/adjustments-store';

/** A cached cut-out with the image's output adjustments applied: what export writes. */
export function adjustedCutout(
  db: Database.Database,
  imageId: number,
  original: Uint8Array,
  cut: { rgb: Uint8Array; alpha: Uint8Array; width: number; height: number },
): { alpha: Uint8Array; foreground: Uint8Array } {
  const adjustments = readAdjustments(db, imageId);
  return { alpha: adjustAlpha(cut.alpha, cut.width, cut.height, adjustments), foreground: blendForeground(original, cut.rgb, adjustments.decontaminate) };
}
