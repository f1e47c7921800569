import { describe, expect, it } from 'vitest';
import type { ImageStatus } from '../../../shared/contract';
import { LibraryManager } from './library.svelte';
import { imageView } from './test-fixtures';

function library(statuses: ImageStatus[]) {
  return { lib: new LibraryManager({ images: statuses.map((s, i) => imageView(i + 1, s)) }) };
}

describe('LibraryManager', () => {
  it('counts every status', () => {
    const { lib } = library(['new', 'auto', 'auto', 'edited']);
    expect(lib.counts).toEqual({ new: 1, auto: 2, edited: 1, refined: 0, exported: 0, failed: 0 });
    expect(lib.total).toBe(4);
  });

  it('filters by status chips and drops hidden images from the selection', () => {
    const { lib } = library(['new', 'auto', 'edited', 'edited', 'failed']);
    lib.click(1);
    lib.click(3, { toggle: true });
    expect(lib.selectedIds).toEqual([1, 3]);
    lib.toggleFilter('edited');
    expect(lib.visible.map((i) => i.id)).toEqual([3, 4]);
    expect(lib.selectedIds).toEqual([3]);
    lib.toggleFilter('failed');
    expect(lib.visible.map((i) => i.id)).toEqual([3, 4, 5]);
    lib.clearFilter();
    expect(lib.visible).toHaveLength(5);
  });

  it('selects like Lightroom: plain click replaces, Ctrl toggles, Shift extends from the anchor', () => {
    const { lib } = library(['new', 'new', 'new', 'new', 'new', 'new']);
    lib.click(2);
    lib.click(5, { range: true });
    expect(lib.selectedIds).toEqual([2, 3, 4, 5]);
    lib.click(3, { toggle: true });
    expect(lib.selectedIds).toEqual([2, 4, 5]);
    lib.click(6);
    expect(lib.selectedIds).toEqual([6]);
    expect(lib.move(-2, true)).toBe(4);
    expect(lib.selectedIds).toEqual([4, 5, 6]);
    lib.clearSelection();
    expect(lib.selectedIds).toEqual([]);
  });
});
