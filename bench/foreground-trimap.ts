/**
 * npx tsx bench/foreground-trimap.ts [runs]: estimateForeground and makeTrimap at 1024x1024 and
 * 2048x2048 (4 MP) on a synthetic composite (soft disc, strands, veil: 13 % soft alpha; without the
 * veil 5.5 %, nearer the pipeline's pinned alphas), single thread, warm; the
 * frozen pre-optimisation copies in bench/reference/ are timed in the same run, interleaved, and
 * the ratio printed, with the largest 8-bit difference of the foreground over pixels with alpha > 0.
 */
import { estimateForeground } from '../src/engine/matting/foreground/foreground-ml.js';
import { makeTrimap } from '../src/engine/matting/trimap/trimap.js';
import { makeComposite } from '../test/unit/matting/composites.js';
import { estimateForeground as referenceForeground } from './reference/foreground-ml.js';
import { makeTrimap as referenceTrimap } from './reference/trimap.js';
import { median, printTable } from './lib/measure.js';

const RUNS = Number(process.argv[2] ?? 7);

/** Median ms of each of two functions, alternated run by run so load drift hits both alike. */
function timePair(a: () => unknown, b: () => unknown, runs: number): [number, number] {
  a();
  b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    a();
    ta.push(performance.now() - t);
    t = performance.now();
    b();
    tb.push(performance.now() - t);
  }
  return [median(ta), median(tb)];
}

const rows: (string | number)[][] = [];
for (const size of [1024, 2048]) {
  const c = makeComposite(size, size, Math.round(size / 128));
  const { image, alpha } = c;
  const narrow = makeComposite(size, size, Math.round(size / 128), { veil: false });
  const [refNarrow, newNarrow] = timePair(() => referenceForeground(narrow.image, narrow.alpha), () => estimateForeground(narrow.image, narrow.alpha), RUNS);
  rows.push([`estimateForeground ${size}x${size} no veil`, refNarrow.toFixed(1), newNarrow.toFixed(1), (refNarrow / newNarrow).toFixed(2), '']);
  const [refFg, newFg] = timePair(() => referenceForeground(image, alpha), () => estimateForeground(image, alpha), RUNS);
  const a = referenceForeground(image, alpha);
  const b = estimateForeground(image, alpha);
  let maxDiff = 0;
  for (let i = 0; i < alpha.length; i++) {
    if (alpha[i] <= 0) continue;
    for (let ch = 0; ch < 3; ch++) maxDiff = Math.max(maxDiff, Math.abs(a[3 * i + ch] - b[3 * i + ch]));
  }
  rows.push([`estimateForeground ${size}x${size}`, refFg.toFixed(1), newFg.toFixed(1), (refFg / newFg).toFixed(2), `max |dF| ${maxDiff} levels (alpha>0)`]);
  const [refTm, newTm] = timePair(() => referenceTrimap(alpha, size, size), () => makeTrimap(alpha, size, size), RUNS);
  const ta = referenceTrimap(alpha, size, size);
  const tb = makeTrimap(alpha, size, size);
  const same = ta.every((v, i) => v === tb[i]);
  rows.push([`makeTrimap ${size}x${size} band 1%`, refTm.toFixed(1), newTm.toFixed(1), (refTm / newTm).toFixed(2), same ? 'identical' : 'DIFFERENT']);
}
console.log(`median of ${RUNS} runs each, interleaved`);
printTable(['stage', 'reference ms', 'new ms', 'speed-up', 'check'], rows);
