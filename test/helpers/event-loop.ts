/** What a timer firing every `everyMs` saw while `work` ran: its ticks, the longest gap between them, and the time taken. */
export async function watchEventLoop(work: () => Promise<unknown>, everyMs = 1): Promise<{ ticks: number; worstGapMs: number; elapsedMs: number }> {
  const started = performance.now();
  let last = started;
  let worst = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    ticks++;
  }, everyMs);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { ticks, worstGapMs: worst, elapsedMs: performance.now() - started };
}

/** Longest gap between 1 ms timer ticks while `work` runs `times` times: how long the loop was blocked. */
export async function worstEventLoopGap(work: () => Promise<unknown>, times = 20): Promise<number> {
  const seen = await watchEventLoop(async () => {
    for (let i = 0; i < times; i++) await work();
  });
  return seen.worstGapMs;
}
