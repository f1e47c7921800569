import { describe, expect, it } from 'vitest';
import { MattingError } from '../../../src/engine/matting/errors';
import { makeTrimap } from '../../../src/engine/matting/trimap/trimap';
import { applySelection, keepSubjectAt, keepTrimapSubjectAt, labelRegions, selectSubject } from '../../../src/engine/semantic/subject';
import { disc, personMask } from './scenes';

const W = 240;
const H = 180;
const at = (plane: ArrayLike<number>, x: number, y: number) => plane[y * W + x];

describe('selectSubject', () => {
  it('drops a distractor blob apart from the person, with its soft fringe, and keeps the person whole', () => {
    const prob = personMask(W, H, 90);
    disc(prob, W, 205, 40, 14); // the distractor, away from the person
    disc(prob, W, 205, 40, 20, 0.3); // its fringe below the threshold...
    disc(prob, W, 205, 40, 14); // ...around its core
    const sel = selectSubject(prob, W, H);
    expect(sel.regions).toBe(2);
    expect(sel.dropped).toBe(1);
    const kept = applySelection(prob, sel);
    expect(at(kept, 205, 40)).toBe(0);
    expect(at(kept, 205 + 17, 40)).toBe(0); // the fringe goes too
    const person = personMask(W, H, 90);
    let lost = 0;
    for (let i = 0; i < person.length; i++) if (person[i] && kept[i] < 0.5) lost++;
    expect(lost).toBe(0);
    // Without the selection the trimap would carry the blob as foreground.
    expect(at(makeTrimap(prob, W, H), 205, 40)).toBe(255);
    expect(at(makeTrimap(kept, W, H), 205, 40)).toBe(0);
  });

  it('keeps a subject cut by the frame edge whole: an arm that leaves the frame and comes back', () => {
    const prob = personMask(W, H, 110);
    // Two pieces of a raised arm touching the top edge close to each other, one joined to nothing
    // inside the frame, plus a blob on the right side of the frame that belongs to no one.
    for (let y = 0; y < 30; y++) for (let x = 60; x < 70; x++) prob[y * W + x] = 1;
    for (let y = 0; y < 50; y++) for (let x = 80; x < 88; x++) prob[y * W + x] = 1;
    disc(prob, W, W - 1, 60, 10);
    const sel = selectSubject(prob, W, H);
    const kept = applySelection(prob, sel);
    expect(at(kept, 65, 10)).toBe(1);
    expect(at(kept, 84, 10)).toBe(1);
    expect(at(kept, W - 3, 60)).toBe(0);
    expect(sel.dropped).toBe(1);
  });

  it('joins a piece behind a thin gap (a hand) and drops a far one', () => {
    const prob = personMask(W, H, 90);
    disc(prob, W, 90 + 0.27 * H + 5, H - 30, 3); // 2 px from the torso's side
    disc(prob, W, 20, 20, 5);
    const sel = selectSubject(prob, W, H);
    const kept = applySelection(prob, sel);
    expect(at(kept, Math.round(90 + 0.27 * H + 5), H - 30)).toBe(1);
    expect(at(kept, 20, 20)).toBe(0);
  });

  it('keeps every person with keepAll, the largest alone by default', () => {
    const prob = personMask(W, H, 60, 0.9);
    const other = personMask(W, H, 185, 0.7);
    for (let i = 0; i < prob.length; i++) prob[i] = Math.max(prob[i], other[i]);
    disc(prob, W, 120, 15, 3); // a speck: no person, even with keepAll
    expect(selectSubject(prob, W, H).dropped).toBe(2);
    const all = applySelection(prob, selectSubject(prob, W, H, { keepAll: true }));
    expect(at(all, 185, H - 10)).toBe(1);
    expect(at(all, 60, H - 10)).toBe(1);
    expect(at(all, 120, 15)).toBe(0);
  });

  it('click-to-keep keeps the region at the point (or the nearest) and drops the rest', () => {
    const prob = personMask(W, H, 60, 0.9);
    const other = personMask(W, H, 185, 0.7);
    for (let i = 0; i < prob.length; i++) prob[i] = Math.max(prob[i], other[i]);
    const small = applySelection(prob, keepSubjectAt(prob, W, H, 185, H - 10));
    expect(at(small, 185, H - 10)).toBe(1);
    expect(at(small, 60, H - 10)).toBe(0);
    const near = applySelection(prob, keepSubjectAt(prob, W, H, W - 2, 2)); // background: nearest region
    expect(at(near, 185, H - 10)).toBe(1);
    expect(at(near, 60, H - 10)).toBe(0);
  });

  it('click-to-keep on a trimap turns the other person and its band into background', () => {
    const prob = personMask(W, H, 60, 0.9);
    const other = personMask(W, H, 185, 0.7);
    for (let i = 0; i < prob.length; i++) prob[i] = Math.max(prob[i], other[i]);
    const trimap = makeTrimap(prob, W, H, { band: 3 });
    const { trimap: kept, selection } = keepTrimapSubjectAt(trimap, W, H, 185, H - 10);
    expect(selection.dropped).toBe(1);
    expect(at(kept, 185, H - 10)).toBe(255);
    expect(at(kept, 60, H - 10)).toBe(0);
    expect(at(kept, Math.round(185 - 0.27 * 0.7 * H), H - 10)).toBe(128); // the kept person's band stays
    let left = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < 120; x++) if (kept[y * W + x] !== 0) left++;
    expect(left).toBe(0);
    expect(() => keepTrimapSubjectAt(trimap, W, H, -1, 0)).toThrow(MattingError);
  });

  it('leaves a map with no region as it is, and rejects bad input with typed errors', () => {
    const empty = new Float32Array(W * H).fill(0.2);
    const sel = selectSubject(empty, W, H);
    expect(sel.regions).toBe(0);
    expect(applySelection(empty, sel)).toEqual(empty);
    expect(() => keepSubjectAt(empty, W, H, W, 0)).toThrow(MattingError);
    expect(() => keepSubjectAt(empty, W, H, 1.5, 0)).toThrow(MattingError);
    expect(() => selectSubject(empty, W, H + 1)).toThrow(MattingError);
    expect(() => selectSubject(empty, W, H, { joinGap: -1 })).toThrow(MattingError);
  });

  it('labels 8-connected regions with their frame contacts', () => {
    const mask = new Uint8Array(5 * 4);
    mask[0] = 1;
    mask[6] = 1; // diagonal neighbour of 0: same region
    mask[19] = 1;
    const r = labelRegions(mask, 5, 4);
    expect(r.areas.slice(1)).toEqual([2, 1]);
    expect(r.contacts[1][0]).toEqual([0, 0]); // top side at x 0
    expect(r.contacts[2][1]).toEqual([3, 3]); // right side at y 3
    expect(r.contacts[2][2]).toEqual([4, 4]); // bottom side at x 4
  });
});
