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

/**
 * Squared Euclidean distance from every pixel to the nearest pixel where `isSeed(i)` holds
 * (1e20 where there is none). Float32 output keeps memory at 4 bytes per pixel.
 */
export function squaredDistanceTo(width: number, height: number, isSeed: (i: number) => boolean): Float32Array {
  const out = new Float32Array(width * height);
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = isSeed(y * width + x) ? 0 : INF;
    edt1d(f, height, d, v, z);
    for (let y = 0; y < height; y++) out[y * width + x] = d[y];
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) f[x] = out[row + x];
    edt1d(f, width, d, v, z);
    for (let x = 0; x < width; x++) out[row + x] = d[x];
  }
  return out;
}

/** mask dilated by a disc of `radius` px: 1 where a set pixel lies within the radius. */
export function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const dist = squaredDistanceTo(width, height, (i) => mask[i] !== 0);
  const r2 = radius * radius;
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = dist[i] <= r2 ? 1 : 0;
  return out;
}

/** mask eroded by a disc of `radius` px: 1 where no unset pixel lies within the radius. */
export function erode(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const dist = squaredDistanceTo(width, height, (i) => mask[i] === 0);
  const r2 = radius * radius;
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = dist[i] > r2 ? 1 : 0;
  return out;
}
