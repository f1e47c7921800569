// Without zod (see errors.ts): used by the detector's decoding in the inference worker.

/**
 * Centres (x, y in 0..1 of the network input) of a single-shot detector's anchors, in the order
 * its outputs list them: MediaPipe's SsdAnchorsCalculator with fixed-size anchors and one aspect
 * ratio, so every layer puts one anchor in each cell, or two with the interpolated scale; and
 * consecutive layers of the same stride share one grid (cells in row order, a cell's anchors
 * together). The short-range face detector's strides 8, 16, 16, 16 on 128×128 with two per layer
 * give 16·16·2 + 8·8·6 = 896; the full-range one's stride 4 on 192×192 with one, 48·48 = 2304.
 */
export function ssdAnchorCenters(strides: readonly number[], perLayer: number, inputW: number, inputH: number, offset: number): Float32Array {
  const out: number[] = [];
  for (let layer = 0; layer < strides.length; ) {
    const stride = strides[layer];
    let next = layer;
    while (next < strides.length && strides[next] === stride) next++;
    const perCell = perLayer * (next - layer);
    const fw = Math.ceil(inputW / stride);
    const fh = Math.ceil(inputH / stride);
    for (let y = 0; y < fh; y++) {
      for (let x = 0; x < fw; x++) {
        for (let k = 0; k < perCell; k++) out.push((x + offset) / fw, (y + offset) / fh);
      }
    }
    layer = next;
  }
  return Float32Array.from(out);
}

/** How many anchors those strides make. */
export function ssdAnchorCount(strides: readonly number[], perLayer: number, inputW: number, inputH: number): number {
  return ssdAnchorCenters(strides, perLayer, inputW, inputH, 0.5).length / 2;
}
