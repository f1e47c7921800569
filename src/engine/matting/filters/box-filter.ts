/**
 * Mean over a (2r+1)^2 window clipped to the image, O(N) whatever r: running sums along rows, then
 * running column sums down the image (row-major access in both passes). Each pass is split where
 * the window leaves the image, so its middle runs without a test per pixel, and the column pass
 * reads and writes the column sums once per row instead of three times (1.6x less CPU at r = 1 on a
 * 1 MP working image, bench/closed-form-parts.ts). Every sum takes the same additions and
 * subtractions in the same order as before, so the output is the same bit for bit.
 */
export function boxMean(
  src: Float32Array,
  width: number,
  height: number,
  r: number,
  out: Float32Array,
  tmp: Float32Array,
  colSum: Float64Array,
  invCountX: Float64Array,
  times?: Float32Array,
): void {
  // With `times`, the mean of src * times, each product rounded to float32 as a stored product plane
  // would be: the guided filter's nine products then need no pass of their own.
  for (let x = 0; x < width; x++) invCountX[x] = 1 / (Math.min(x + r, width - 1) - Math.max(x - r, 0) + 1);
  if (times) {
    rowSumsOfProduct(src, times, width, height, r, tmp);
    columnMeans(width, height, r, out, tmp, colSum, invCountX);
    return;
  }
  // Row sums: x < r has nothing to subtract yet, x >= width - r - 1 nothing left to add.
  const first = Math.min(r, width - 1);
  const addEnd = Math.max(0, width - r - 1);
  const subStart = Math.min(r, addEnd);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let s = 0;
    for (let x = 0; x <= first; x++) s += src[row + x];
    let x = 0;
    for (; x < subStart; x++) {
      tmp[row + x] = s;
      s += src[row + x + r + 1];
    }
    for (; x < addEnd; x++) {
      tmp[row + x] = s;
      s += src[row + x + r + 1];
      s -= src[row + x - r];
    }
    for (; x < width; x++) {
      tmp[row + x] = s;
      if (x + r + 1 < width) s += src[row + x + r + 1];
      if (x - r >= 0) s -= src[row + x - r];
    }
  }
  columnMeans(width, height, r, out, tmp, colSum, invCountX);
}

function rowSumsOfProduct(a: Float32Array, b: Float32Array, width: number, height: number, r: number, tmp: Float32Array): void {
  const first = Math.min(r, width - 1);
  const addEnd = Math.max(0, width - r - 1);
  const subStart = Math.min(r, addEnd);
  const f = Math.fround;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let s = 0;
    for (let x = 0; x <= first; x++) s += f(a[row + x] * b[row + x]);
    let x = 0;
    for (; x < subStart; x++) {
      tmp[row + x] = s;
      s += f(a[row + x + r + 1] * b[row + x + r + 1]);
    }
    for (; x < addEnd; x++) {
      tmp[row + x] = s;
      s += f(a[row + x + r + 1] * b[row + x + r + 1]);
      s -= f(a[row + x - r] * b[row + x - r]);
    }
    for (; x < width; x++) {
      tmp[row + x] = s;
      if (x + r + 1 < width) s += f(a[row + x + r + 1] * b[row + x + r + 1]);
      if (x - r >= 0) s -= f(a[row + x - r] * b[row + x - r]);
    }
  }
}

/** The column pass: running sums of `tmp`'s rows down the image, scaled to means into `out`. */
function columnMeans(width: number, height: number, r: number, out: Float32Array, tmp: Float32Array, colSum: Float64Array, invCountX: Float64Array): void {
  colSum.fill(0, 0, width);
  const firstRow = Math.min(r, height - 1);
  for (let y = 0; y <= firstRow; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) colSum[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const invCy = 1 / (Math.min(y + r, height - 1) - Math.max(y - r, 0) + 1);
    const add = y + r + 1;
    const sub = y - r;
    if (add < height && sub >= 0) {
      const ar = add * width;
      const sr = sub * width;
      for (let x = 0; x < width; x++) {
        const c = colSum[x];
        out[row + x] = c * invCountX[x] * invCy;
        colSum[x] = c + tmp[ar + x] - tmp[sr + x];
      }
      continue;
    }
    for (let x = 0; x < width; x++) out[row + x] = colSum[x] * invCountX[x] * invCy;
    if (add < height) {
      const ar = add * width;
      for (let x = 0; x < width; x++) colSum[x] += tmp[ar + x];
    }
    if (sub >= 0) {
      const sr = sub * width;
      for (let x = 0; x < width; x++) colSum[x] -= tmp[sr + x];
    }
  }
}

/** A box filter bound to one image size, reusing its scratch buffers. */
export function makeBoxFilter(width: number, height: number): (src: Float32Array, r: number, out?: Float32Array, times?: Float32Array) => Float32Array {
  const tmp = new Float32Array(width * height);
  const colSum = new Float64Array(width);
  const invCountX = new Float64Array(width);
  return (src, r, out = new Float32Array(width * height), times) => {
    boxMean(src, width, height, Math.max(0, Math.round(r)), out, tmp, colSum, invCountX, times);
    return out;
  };
}
