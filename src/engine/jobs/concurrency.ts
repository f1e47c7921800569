import os from 'node:os';

/**
 * Images in flight by default: one more than the cores, so that while one image waits on the
 * single inference worker or on disk the cores still have work. Measured with
 * `npx tsx bench/matte-cli.ts 24 1 <n>` on 2 cores: guided 4.25 images/s at 2, 5.33 at 3, 5.01 at
 * 4; closed-form 1.25, 1.46, 1.44. After the later speed-ups (`bench/matte-cli.ts 12 3 <n>`, guided
 * steady rate / 24-photo batch): 10.4 / 7.3 at 3, 10.9 / 7.6 at 4, 10.2 / 7.7 at 6, within the
 * noise of each other. Large photos run fewer at a time (MemoryBudget).
 */
export function defaultConcurrency(): number {
  return os.availableParallelism() + 1;
}

/**
 * The one batch loop: `work` runs over `items` in list order, at most `concurrency` at a time
 * (each lane takes the next item when its last one ends), and no new item starts once `stop()`
 * says so. Project jobs and the command line both run their images through it.
 */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
}
