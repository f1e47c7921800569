import { paintStroke, type BrushStroke } from '../../shared/strokes';

/** One saved step of a trimap's history: a brush stroke, or a whole trimap that replaces it. */
export type TrimapEdit = { kind: 'stroke'; stroke: BrushStroke } | { kind: 'raster'; raster: Uint8Array };

/**
 * The trimap `auto` with `edits` applied, as a new array; `start` (default `auto`) is the trimap
 * the edits are applied to (an earlier composition), while erase strokes paint `auto`'s values back.
 * Pure: the trimap render worker runs it too.
 */
export function applyEdits(auto: Uint8Array, width: number, height: number, edits: TrimapEdit[], start: Uint8Array = auto): Uint8Array {
  const out = new Uint8Array(start);
  for (const edit of edits) {
    if (edit.kind === 'raster') out.set(edit.raster);
    else paintStroke(out, width, height, edit.stroke, { auto });
  }
  return out;
}
