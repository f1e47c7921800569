import { describe, expect, it } from 'vitest';
import { TemporalSmoother } from '../../../src/engine/webcam/smoothing';

describe('TemporalSmoother', () => {
  it('passes the first frame through unchanged', () => {
    const s = new TemporalSmoother();
    expect([...s.apply(Float32Array.of(0.2, 0.9))]).toEqual([...Float32Array.of(0.2, 0.9)]);
  });

  it('damps small jitter: alternating ±0.05 noise shrinks to a fraction of its amplitude', () => {
    const s = new TemporalSmoother({ minWeight: 0.3, fullChange: 0.35 });
    let out = 0;
    const swings: number[] = [];
    for (let t = 0; t < 40; t++) {
      const next = s.apply(Float32Array.of(0.5 + (t % 2 ? 0.05 : -0.05)))[0];
      if (t > 20) swings.push(Math.abs(next - out));
      out = next;
    }
    expect(Math.max(...swings)).toBeLessThan(0.05);
  });

  it('follows a large change within one frame (no trailing edges)', () => {
    const s = new TemporalSmoother({ minWeight: 0.3, fullChange: 0.35 });
    s.apply(Float32Array.of(0, 1));
    const out = s.apply(Float32Array.of(1, 0));
    expect(out[0]).toBe(1);
    expect(out[1]).toBe(0);
  });

  it('restarts when the frame size changes and after reset', () => {
    const s = new TemporalSmoother();
    s.apply(Float32Array.of(0, 0));
    expect([...s.apply(Float32Array.of(0.1, 0.1, 0.1))]).toEqual([...Float32Array.of(0.1, 0.1, 0.1)]);
    s.reset();
    expect(s.apply(Float32Array.of(0.2, 0.2, 0.2))[0]).toBeCloseTo(0.2);
  });

  it('rejects weights outside (0, 1]', () => {
    expect(() => new TemporalSmoother({ minWeight: 0 })).toThrow(RangeError);
    expect(() => new TemporalSmoother({ fullChange: -1 })).toThrow(RangeError);
  });
});
