import { describe, expect, it } from 'vitest';
import { PAIR_SHORT_SIDE, pairInputSize } from '../../../src/engine/webcam/pair-stage';

describe("a trained pair's input size on the webcam", () => {
  it.each([
    [640, 480, 320, { width: 224, height: 160 }],
    [480, 640, 320, { width: 160, height: 224 }],
    [1280, 720, 320, { width: 288, height: 160 }],
    [160, 160, 160, { width: 160, height: 160 }],
    // Never a larger short side than the pair was exported at.
    [640, 480, 96, { width: 128, height: 96 }],
  ])('%ix%i frames, pair exported at %i: %o', (width, height, exported, expected) => {
    expect(pairInputSize(width, height, { width: exported, height: exported })).toEqual(expected);
  });

  it('keeps both sides multiples of the T-Net stride (32)', () => {
    for (const [w, h] of [[641, 479], [320, 240], [1920, 1080], [100, 37]]) {
      const size = pairInputSize(w, h, { width: 320, height: 320 });
      expect(size.width % 32).toBe(0);
      expect(size.height % 32).toBe(0);
      expect(Math.min(size.width, size.height)).toBeLessThanOrEqual(PAIR_SHORT_SIDE);
    }
  });
});
