/**
 * A k-d tree over n points of `dim` float features for exact k-nearest-neighbour queries: median
 * splits on the widest dimension, leaves of up to LEAF points, nodes in flat typed arrays.
 */
const LEAF = 12;

export interface KdTree {
  dim: number;
  points: Float32Array;
  order: Int32Array;
  start: Int32Array;
  end: Int32Array;
  splitDim: Int32Array; // -1 for a leaf
  splitValue: Float32Array;
  left: Int32Array;
  right: Int32Array;
}

export function buildKdTree(points: Float32Array, dim: number): KdTree {
  const n = points.length / dim;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const maxNodes = 2 * Math.ceil(n / (LEAF / 2)) + 1;
  const start = new Int32Array(maxNodes);
  const end = new Int32Array(maxNodes);
  const splitDim = new Int32Array(maxNodes).fill(-1);
  const splitValue = new Float32Array(maxNodes);
  const left = new Int32Array(maxNodes);
  const right = new Int32Array(maxNodes);
  let count = 1;
  start[0] = 0;
  end[0] = n;
  const stack = [0];
  while (stack.length) {
    const node = stack.pop() as number;
    const s = start[node];
    const e = end[node];
    if (e - s <= LEAF) continue;
    const d = widestDimension(points, dim, order, s, e);
    const mid = (s + e) >> 1;
    select(points, dim, order, s, e - 1, mid, d);
    splitDim[node] = d;
    splitValue[node] = points[order[mid] * dim + d];
    const l = count++;
    const r = count++;
    start[l] = s;
    end[l] = mid;
    start[r] = mid;
    end[r] = e;
    left[node] = l;
    right[node] = r;
    stack.push(l, r);
  }
  return { dim, points, order, start, end, splitDim, splitValue, left, right };
}

function widestDimension(points: Float32Array, dim: number, order: Int32Array, s: number, e: number): number {
  let best = 0;
  let bestSpread = -1;
  for (let d = 0; d < dim; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = s; i < e; i++) {
      const v = points[order[i] * dim + d];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo > bestSpread) {
      bestSpread = hi - lo;
      best = d;
    }
  }
  return best;
}

/** Quickselect (Hoare): afterwards points left of k are <= order[k] and right of it >= on dimension d. */
function select(points: Float32Array, dim: number, order: Int32Array, left: number, right: number, k: number, d: number): void {
  while (right > left) {
    const pivot = points[order[(left + right) >> 1] * dim + d];
    let i = left;
    let j = right;
    while (i <= j) {
      while (points[order[i] * dim + d] < pivot) i++;
      while (points[order[j] * dim + d] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/**
 * Returns a search writing the k nearest other points of point `query` into out (-1 where fewer
 * than k exist), nearest first not guaranteed.
 */
export function makeKnnSearch(tree: KdTree, k: number): (query: number, out: Int32Array) => void {
  const { dim, points, order, start, end, splitDim, splitValue, left, right } = tree;
  const heapD = new Float64Array(k);
  const heapI = new Int32Array(k);
  const q = new Float64Array(dim);
  let size = 0;

  function push(dist: number, index: number): void {
    // Max-heap of the k best so far, root = current worst.
    if (size < k) {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heapD[p] >= dist) break;
        heapD[i] = heapD[p];
        heapI[i] = heapI[p];
        i = p;
      }
      heapD[i] = dist;
      heapI[i] = index;
      return;
    }
    if (dist >= heapD[0]) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const c = r < size && heapD[r] > heapD[l] ? r : l;
      if (heapD[c] <= dist) break;
      heapD[i] = heapD[c];
      heapI[i] = heapI[c];
      i = c;
    }
    heapD[i] = dist;
    heapI[i] = index;
  }

  function visit(node: number, self: number): void {
    const d = splitDim[node];
    if (d < 0) {
      for (let i = start[node]; i < end[node]; i++) {
        const p = order[i];
        if (p === self) continue;
        let dist = 0;
        const base = p * dim;
        for (let c = 0; c < dim; c++) {
          const v = points[base + c] - q[c];
          dist += v * v;
        }
        push(dist, p);
      }
      return;
    }
    const diff = q[d] - splitValue[node];
    const near = diff < 0 ? left[node] : right[node];
    const far = diff < 0 ? right[node] : left[node];
    visit(near, self);
    if (size < k || diff * diff < heapD[0]) visit(far, self);
  }

  return (query, out) => {
    for (let c = 0; c < dim; c++) q[c] = points[query * dim + c];
    size = 0;
    visit(0, query);
    for (let i = 0; i < k; i++) out[i] = i < size ? heapI[i] : -1;
  };
}
