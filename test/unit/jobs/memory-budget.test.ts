import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../../src/engine/jobs/memory-budget';

const tick = () => new Promise((r) => setImmediate(r));

describe('MemoryBudget', () => {
  it('admits while the bytes fit and the rest in order as bytes come back', async () => {
    const budget = new MemoryBudget(100);
    const order: string[] = [];
    const take = (name: string, bytes: number) => budget.acquire(bytes).then((release) => (order.push(name), release));
    const a = take('a', 60);
    const b = take('b', 30);
    const c = take('c', 50); // does not fit beside a and b
    const d = take('d', 5); // fits, but must not overtake c
    await tick();
    expect(order).toEqual(['a', 'b']);
    expect(budget.inUse).toBe(90);
    (await a)();
    await tick();
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(budget.inUse).toBe(85);
    (await b)();
    (await c)();
    const releaseD = await d;
    releaseD();
    releaseD(); // twice is harmless
    expect(budget.inUse).toBe(0);
  });

  it('admits one item larger than the whole budget when nothing else is held', async () => {
    const budget = new MemoryBudget(10);
    const release = await budget.acquire(1000);
    expect(budget.inUse).toBe(1000);
    let second = false;
    const next = budget.acquire(1).then((r) => ((second = true), r));
    await tick();
    expect(second).toBe(false);
    release();
    (await next)();
    expect(second).toBe(true);
  });

  it('an aborted wait is dropped and lets the next one in', async () => {
    const budget = new MemoryBudget(10);
    const release = await budget.acquire(8);
    const controller = new AbortController();
    const big = budget.acquire(8, controller.signal);
    const small = budget.acquire(2);
    controller.abort();
    await expect(big).rejects.toMatchObject({ name: 'AbortError' });
    (await small)();
    release();
    expect(budget.inUse).toBe(0);
    await expect(budget.acquire(1, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
