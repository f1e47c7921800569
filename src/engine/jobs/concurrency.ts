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
