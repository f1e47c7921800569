import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../src/engine/jobs/rate';
import { ProgressBar } from '../../../src/cli/progress-bar';
import { formatDuration } from '../../../src/shared/vocabulary';

describe('RateMeter', () => {
  it('measures items per second from the start, then over a sliding window', () => {
    const m = new RateMeter(3, 0);
    expect(m.rate(0)).toBeUndefined();
    m.tick(500);
    m.tick(1000);
    expect(m.rate(1000)).toBeCloseTo(2);
    expect(m.etaMs(4, 1000)).toBe(2000);
    m.tick(1100);
    m.tick(1200);
    // Window of 3: stamps 1000, 1100, 1200 → 2 intervals in 0.2 s.
    expect(m.rate(1200)).toBeCloseTo(10);
  });
});

describe('ProgressBar', () => {
  it('formats count, rate, time left and the current item', () => {
    expect(ProgressBar.format({ done: 5, total: 10, ratePerSec: 2.5, etaMs: 2000, current: 'a.jpg' }, 10)).toBe('[#####-----] 5/10 2.50 img/s ETA 2 s a.jpg');
    expect(ProgressBar.format({ done: 0, total: 0 }, 4)).toBe('[----] 0/0');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_725_000)).toBe('1 h 02 min');
  });
});
