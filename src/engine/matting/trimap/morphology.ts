/**
 * Binary erosion and dilation with a disc (the elliptical structuring element of OpenCV's
 * MORPH_ELLIPSE with equal axes), done through an exact Euclidean distance transform so the cost
 * is O(N) whatever the radius.
 */

const INF = 1e20;

/** Felzenszwalb-Huttenlocher 1-D squared distance transform of f (length n) into d. */
function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

const BLOCK = 16;

/**
 * Squared Euclidean distance from every pixel to the nearest pixel where seeds[i] != 0 (1e20
 * where there is none). Rows first by two sweeps (exact in 1-D for a binary input), then columns
 * by lower envelopes of parabolas, gathered 16 columns at a time so the reads stay cache-friendly.
 */
export function squaredDistanceTo(width: number, height: number, seeds: Uint8Array): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (seeds[row + x]) last = x;
      out[row + x] = last < 0 ? INF : x - last;
    }
    last = -1;
    for (let x = width - 1; x >= 0; x--) {
      if (seeds[row + x]) last = x;
      const d = last < 0 ? INF : last - x;
      const v = out[row + x] < d ? out[row + x] : d;
      out[row + x] = v >= INF ? INF : v * v;
    }
  }
  const f = new Float64Array(height);
  const d = new Float64Array(height);
  const v = new Int32Array(height);
  const z = new Float64Array(height + 1);
  const block = new Float32Array(height * BLOCK);
  for (let x0 = 0; x0 < width; x0 += BLOCK) {
    const bw = Math.min(BLOCK, width - x0);
    for (let y = 0; y < height; y++) {
      const row = y * width + x0;
      for (let c = 0; c < bw; c++) block[c * height + y] = out[row + c];
    }
    for (let c = 0; c < bw; c++) {
      const base = c * height;
      for (let y = 0; y < height; y++) f[y] = block[base + y];
      edt1d(f, height, d, v, z);
      for (let y = 0; y < height; y++) block[base + y] = d[y];
    }
    for (let y = 0; y < height; y++) {
      const row = y * width + x0;
      for (let c = 0; c < bw; c++) out[row + c] = block[c * height + y];
    }
  }
  return out;
}

/** mask dilated by a disc of `radius` px: 1 where a set pixel lies within the radius. */
export function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const dist = squaredDistanceTo(width, height, mask);
  const r2 = radius * radius;
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = dist[i] <= r2 ? 1 : 0;
  return out;
}

/** mask eroded by a disc of `radius` px: 1 where no unset pixel lies within the radius. */
export function erode(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const background = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) background[i] = mask[i] ? 0 : 1;
  const dist = squaredDistanceTo(width, height, background);
  const r2 = radius * radius;
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = dist[i] > r2 ? 1 : 0;
  return out;
}
