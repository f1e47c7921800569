import { describe, expect, it } from 'vitest';
import { buildKdTree, makeKnnSearch } from '../../../src/engine/matting/alpha/kd-tree';

describe('k-d tree', () => {
  it('finds exactly the k nearest other points (same distances as brute force)', () => {
    let seed = 3;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const n = 600;
    const dim = 5;
    // Clustered points with duplicates, like pixel colours.
    const points = Float32Array.from({ length: n * dim }, (_, i) => Math.round(random() * 6) / 6 + (i % 7 === 0 ? 0 : 0.01 * random()));
    const k = 9;
    const search = makeKnnSearch(buildKdTree(points, dim), k);
    const found = new Int32Array(k);
    const dist = (a: number, b: number): number => {
      let s = 0;
      for (let c = 0; c < dim; c++) s += (points[a * dim + c] - points[b * dim + c]) ** 2;
      return s;
    };
    for (let q = 0; q < n; q += 7) {
      search(q, found);
      expect(found).not.toContain(q);
      expect(new Set(found).size).toBe(k);
      const got = Array.from(found, (j) => dist(q, j)).sort((a, b) => a - b);
      const want = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== q)
        .map((j) => dist(q, j))
        .sort((a, b) => a - b)
        .slice(0, k);
      for (let i = 0; i < k; i++) expect(got[i]).toBeCloseTo(want[i], 6);
    }
  });

  it('returns -1 for missing neighbours when there are fewer than k other points', () => {
    const search = makeKnnSearch(buildKdTree(Float32Array.of(0, 0, 1, 1), 2), 3);
    const found = new Int32Array(3);
    search(0, found);
    expect(Array.from(found).sort()).toEqual([-1, -1, 1]);
  });
});
