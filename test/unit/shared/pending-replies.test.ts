import { describe, expect, it } from 'vitest';
import { PendingReplies } from '../../../src/shared/pending-replies';

describe('PendingReplies', () => {
  it('numbers requests and settles each with the reply that names it, in any order', async () => {
    const pending = new PendingReplies<string, { size: number }>();
    const a = pending.open({ size: 1 });
    const b = pending.open({ size: 2 });
    expect(b.id).toBe(a.id + 1);
    expect(pending.size).toBe(2);
    const second = pending.take(b.id);
    expect(second?.extra).toEqual({ size: 2 });
    second?.resolve('b');
    pending.take(a.id)?.resolve('a');
    expect(await Promise.all([a.reply, b.reply])).toEqual(['a', 'b']);
    expect(pending.size).toBe(0);
  });

  it('ignores replies for ids that are not waiting: late, repeated, unknown or not numbers', () => {
    const pending = new PendingReplies<number>();
    const { id } = pending.open();
    expect(pending.take(id)).toBeDefined();
    expect(pending.take(id)).toBeUndefined();
    expect(pending.take(9999)).toBeUndefined();
    expect(pending.take('1')).toBeUndefined();
    expect(pending.take(undefined)).toBeUndefined();
  });

  it('ends every waiting request when the channel dies, by value or by error', async () => {
    const values = new PendingReplies<string>();
    const x = values.open();
    const y = values.open();
    values.resolveAll('gone');
    expect(await Promise.all([x.reply, y.reply])).toEqual(['gone', 'gone']);

    const errors = new PendingReplies<string>();
    const z = errors.open();
    errors.rejectAll(new Error('worker exited'));
    await expect(z.reply).rejects.toThrow('worker exited');
    expect(errors.size).toBe(0);
  });
});
