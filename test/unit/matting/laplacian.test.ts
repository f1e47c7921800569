import { describe, expect, it } from 'vitest';
import { buildCfLaplacian } from '../../../src/engine/matting';
import { STENCIL, STENCIL_DX, STENCIL_DY } from '../../../src/engine/matting/laplacian/laplacian';
import { makeComposite } from './composites';

function dense(width: number, height: number, rows: Uint8Array, seed: number): { full: Float64Array; n: number; partial: ReturnType<typeof buildCfLaplacian> } {
  const { image } = makeComposite(width, height);
  // Perturb so windows are not all alike.
  for (let i = 0; i < image.data.length; i++) image.data[i] = (image.data[i] + ((i * seed) % 17)) & 255;
  const n = width * height;
  const L = buildCfLaplacian(image, new Uint8Array(n).fill(1));
  const full = new Float64Array(n * n);
  for (let r = 0; r < L.pixels.length; r++) {
    const p = L.pixels[r];
    const x = p % width;
    const y = (p - x) / width;
    for (let k = 0; k < STENCIL; k++) {
      const nx = x + STENCIL_DX[k];
      const ny = y + STENCIL_DY[k];
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
        expect(L.values[r * STENCIL + k]).toBe(0);
        continue;
      }
      full[p * n + ny * width + nx] = L.values[r * STENCIL + k];
    }
  }
  return { full, n, partial: buildCfLaplacian(image, rows) };
}

describe('closed-form matting Laplacian', () => {
  const width = 9;
  const height = 7;
  const rows = new Uint8Array(width * height);
  for (let i = 0; i < rows.length; i += 3) rows[i] = 1;
  const { full, n, partial } = dense(width, height, rows, 7);

  it('is symmetric', () => {
    let maxAsym = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) maxAsym = Math.max(maxAsym, Math.abs(full[i * n + j] - full[j * n + i]));
    expect(maxAsym).toBeLessThan(1e-9);
  });

  it('has rows that sum to zero (constants are in its null space)', () => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += full[i * n + j];
      expect(Math.abs(s)).toBeLessThan(1e-9);
    }
  });

  it('is positive semi-definite on random vectors and has a positive diagonal where windows exist', () => {
    let seed = 1;
    for (let t = 0; t < 20; t++) {
      const x = Float64Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5);
      let q = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q += x[i] * full[i * n + j] * x[j];
      expect(q).toBeGreaterThan(-1e-9);
    }
    expect(full[3 * width + 3 + (3 * width + 3) * n]).toBeGreaterThan(0);
  });

  it('builds requested rows only, identical to the full matrix rows', () => {
    expect(partial.pixels.length).toBe(rows.reduce((a, b) => a + b, 0));
    for (let r = 0; r < partial.pixels.length; r++) {
      const p = partial.pixels[r];
      const x = p % width;
      const y = (p - x) / width;
      for (let k = 0; k < STENCIL; k++) {
        const nx = x + STENCIL_DX[k];
        const ny = y + STENCIL_DY[k];
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        expect(partial.values[r * STENCIL + k]).toBeCloseTo(full[p * n + ny * width + nx], 12);
      }
    }
  });
});
