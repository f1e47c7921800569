import { describe, expect, it } from 'vitest';
import { ConnectionState } from './connection.svelte';

describe('the engine connection', () => {
  it('goes offline and back, and calls the restored callbacks only after a loss', () => {
    const connection = new ConnectionState();
    let restored = 0;
    const off = connection.onRestored(() => restored++);
    connection.report('online');
    expect(restored).toBe(0);
    connection.report('offline');
    connection.report('offline');
    expect(connection.online).toBe(false);
    connection.report('online');
    expect(connection.online).toBe(true);
    expect(restored).toBe(1);
    connection.report('online');
    expect(restored).toBe(1);
    off();
    connection.report('offline');
    connection.report('online');
    expect(restored).toBe(1);
  });
});
