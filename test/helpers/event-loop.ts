/** Longest gap between 1 ms timer ticks while `work` runs `times` times: how long the loop was blocked. */
export async function worstEventLoopGap(work: () => Promise<unknown>, times = 20): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  try {
    for (let i = 0; i < times; i++) await work();
  } finally {
    clearInterval(timer);
  }
  return worst;
}
