/**
 * Mean over a (2r+1)^2 window clipped to the image, O(N) whatever r: running sums along rows, then
 * running column sums down the image (row-major access in both passes).
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
): void {
  for (let x = 0; x < width; x++) invCountX[x] = 1 / (Math.min(x + r, width - 1) - Math.max(x - r, 0) + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let s = 0;
    const first = Math.min(r, width - 1);
    for (let x = 0; x <= first; x++) s += src[row + x];
    for (let x = 0; x < width; x++) {
      tmp[row + x] = s;
      const add = x + r + 1;
      if (add < width) s += src[row + add];
      const sub = x - r;
      if (sub >= 0) s -= src[row + sub];
    }
  }
  colSum.fill(0, 0, width);
  const firstRow = Math.min(r, height - 1);
  for (let y = 0; y <= firstRow; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) colSum[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const invCy = 1 / (Math.min(y + r, height - 1) - Math.max(y - r, 0) + 1);
    for (let x = 0; x < width; x++) out[row + x] = colSum[x] * invCountX[x] * invCy;
    const add = y + r + 1;
    if (add < height) {
      const ar = add * width;
      for (let x = 0; x < width; x++) colSum[x] += tmp[ar + x];
    }
    const sub = y - r;
    if (sub >= 0) {
      const sr = sub * width;
      for (let x = 0; x < width; x++) colSum[x] -= tmp[sr + x];
    }
  }
}

/** A box filter bound to one image size, reusing its scratch buffers. */
export function makeBoxFilter(width: number, height: number): (src: Float32Array, r: number, out?: Float32Array) => Float32Array {
  const tmp = new Float32Array(width * height);
  const colSum = new Float64Array(width);
  const invCountX = new Float64Array(width);
  return (src, r, out = new Float32Array(width * height)) => {
    boxMean(src, width, height, Math.max(0, Math.round(r)), out, tmp, colSum, invCountX);
    return out;
  };
}
