/**
 * npx tsx bench/face-detector.ts <photos dir> <reference alphas dir>
 *
 * What the face detectors (models/face-*.json) cost and buy in the automatic trimap: per photo,
 * each detector's ms (median of 7 after a warm-up, on the photo and on the semantic stage's
 * 512 px working image), the faces it finds, whether the faces would change the person crop, and
 * the SAD (÷1000, closed-form, as `shm-studio eval`) of the default semantic stage without and
 * with the faces in the subject selection.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeGrey, decodeRgb } from '../src/engine/imaging/decode.js';
import type { RgbImage } from '../src/engine/imaging/raster.js';
import { InferenceService } from '../src/engine/inference/service.js';
import { SessionRunner } from '../src/engine/inference/session-runner.js';
import { refineAlpha } from '../src/engine/matting/alpha/refine.js';
import { sad } from '../src/engine/matting/metrics/metrics.js';
import { makeTrimap } from '../src/engine/matting/trimap/trimap.js';
import { getModel } from '../src/engine/models/registry.js';
import { detectFaces, normalizedBoxes, type Detection } from '../src/engine/semantic/detector.js';
import { semanticStage, type SemanticOptions } from '../src/engine/semantic/index.js';
import { foregroundBox, personView } from '../src/engine/semantic/views.js';
import { cachedWorkingImage } from '../src/engine/semantic/working-image.js';

const [photos, refs] = process.argv.slice(2);
if (!photos || !refs) {
  console.error('usage: tsx bench/face-detector.ts <photos dir> <reference alphas dir>');
  process.exit(2);
}

const DETECTORS = ['face-short-range', 'face-full-range'];
const runner = new SessionRunner('cpu');
const detectors = DETECTORS.map((id) => {
  const info = getModel(id);
  const model = { manifest: info.manifest, onnxPath: info.onnxPath };
  const heads = [model.manifest.output.name, model.manifest.detection!.scores];
  return { id, detect: (im: RgbImage) => detectFaces((x) => runner.runOutputs(model, x, heads), model.manifest, im) };
});

async function medianMs(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[runs >> 1];
}

const svc = new InferenceService({ provider: 'cpu' });
const segment = async (im: RgbImage) => (await svc.segment('selfie-general', im)).prob;
const names = fs.readdirSync(photos).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort();
const sads: Record<string, number[]> = {};

async function matteSad(image: RgbImage, gt: Float32Array, options: SemanticOptions): Promise<{ sad: number; work: { width: number; height: number; prob: Float32Array } }> {
  const r = await semanticStage(segment, image, options);
  const trimap = r.band?.trimap ?? makeTrimap(r.prob, image.width, image.height);
  const alpha = await refineAlpha(image, trimap, { method: 'closed-form' });
  return { sad: sad(alpha, gt, image.width, image.height), work: r.work };
}

for (const name of names) {
  const stem = path.parse(name).name;
  const image = await decodeRgb(path.join(photos, name));
  const work = cachedWorkingImage(image, 512);
  const gt = Float32Array.from((await decodeGrey(path.join(refs, `${stem}.png`))).data, (v) => v / 255);
  const found: Detection[] = [];
  for (const d of detectors) {
    const onPhoto = await medianMs(() => d.detect(image));
    const onWork = await medianMs(() => d.detect(work));
    const faces = await d.detect(work);
    found.push(...faces.map((f) => ({ ...f, box: { x0: f.box.x0 / work.width, y0: f.box.y0 / work.height, x1: f.box.x1 / work.width, y1: f.box.y1 / work.height } })));
    const boxes = faces.map((f) => `${f.score.toFixed(2)}@${Object.values(f.box).map((v) => Math.round(v)).join(',')}`).join(' ') || 'none';
    console.log(`${stem} ${d.id.padEnd(16)} ${onPhoto.toFixed(1).padStart(6)} ms on ${image.width}x${image.height}, ${onWork.toFixed(1).padStart(6)} ms on ${work.width}x${work.height}; faces (working px): ${boxes}`);
  }
  // Faces of both detectors, as fractions of the frame (a face both find is kept once either way).
  const faces = normalizedBoxes(found, 1, 1);
  const before = await matteSad(image, gt, {});
  const after = await matteSad(image, gt, { subject: { faces } });
  (sads['default'] ??= []).push(before.sad);
  (sads['default + faces in the subject selection'] ??= []).push(after.sad);
  const { width: w, height: h, prob } = before.work;
  const box = foregroundBox(prob, w, h);
  const crop = box && personView(box, w, h);
  const framed = box && personView(box, w, h, 0.15, faces);
  console.log(`${stem} person crop (from the final map) ${JSON.stringify(crop)} → with faces ${JSON.stringify(framed)}`);
}

const width = Math.max(...Object.keys(sads).map((k) => k.length));
console.log(`${'SAD ÷1000, closed-form'.padEnd(width)} ${names.map((n) => path.parse(n).name.padStart(11)).join(' ')}        mean`);
for (const [label, values] of Object.entries(sads)) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  console.log(`${label.padEnd(width)} ${values.map((v) => v.toFixed(3).padStart(11)).join(' ')} ${mean.toFixed(3).padStart(11)}`);
}
await svc.close();
await runner.close();
