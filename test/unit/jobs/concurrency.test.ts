import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../../../src/engine/jobs/concurrency';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('forEachConcurrently', () => {
  it('runs every item once, starting them in list order, never more than `concurrency` at a time', async () => {
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      peak = Math.max(peak, ++running);
      await tick(n % 3 === 0 ? 15 : 3);
      running--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('starts no new item once stop() holds, and lets the running ones end', async () => {
    const finished: number[] = [];
    let stop = false;
    await forEachConcurrently([1, 2, 3, 4, 5, 6], 2, async (n) => {
      await tick(5);
      if (n === 3) stop = true;
      finished.push(n);
    }, () => stop);
    expect(finished.sort()).toEqual([1, 2, 3, 4]);
  });

  it('does nothing for no items and runs one lane for a concurrency below one', async () => {
    let calls = 0;
    await forEachConcurrently([], 4, async () => void calls++);
    expect(calls).toBe(0);
    await forEachConcurrently(['a', 'b'], 0, async () => void calls++);
    expect(calls).toBe(2);
  });
});
