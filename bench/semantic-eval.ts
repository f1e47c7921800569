/**
 * npx tsx bench/semantic-eval.ts <photos dir> <reference alphas dir> [--montage]
 *
 * What each part of the automatic trimap buys: the same photos matted (closed-form, as
 * `shm-studio matte`) with the semantic stage's parts switched on one by one, SAD (÷1000, as
 * `shm-studio eval`) against the reference alphas per photo and the mean. With --montage, writes
 * bench/reports/semantic/<stem>.png per photo: photo | probability | trimap | alpha of the default
 * stage, downscaled (bench/reports/ is not committed).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { decodeGrey, decodeRgb } from '../src/engine/imaging/decode.js';
import type { RgbImage } from '../src/engine/imaging/raster.js';
import { InferenceService } from '../src/engine/inference/service.js';
import { sad } from '../src/engine/matting/metrics/metrics.js';
import { refineAlpha } from '../src/engine/matting/alpha/refine.js';
import { makeTrimap } from '../src/engine/matting/trimap/trimap.js';
import { semanticStage, type SemanticOptions } from '../src/engine/semantic/index.js';

const [photos, refs] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const montage = process.argv.includes('--montage');
if (!photos || !refs) {
  console.error('usage: tsx bench/semantic-eval.ts <photos dir> <reference alphas dir> [--montage]');
  process.exit(2);
}

const CONFIGS: [string, SemanticOptions][] = [
  ['single pass, fixed band (before)', { views: false, subject: false, band: false }],
  ['+ squares along the long side', { views: { tiles: true, person: false }, subject: false, band: false }],
  ['+ person crop', { views: {}, subject: false, band: false }],
  ['+ mirrored frame', { views: { mirror: true }, subject: false, band: false }],
  ['+ subject selection', { subject: {}, band: false }],
  ['+ smart band (default)', {}],
  ['default without the views', { views: false }],
  ['default without the full frame (squares only)', { views: { full: false } }],
  ['default without the person crop', { views: { person: false } }],
  ['default, views and band at 448', { views: { workingSide: 448 }, band: { planSide: 448 } }],
  ['default, views and band at 512', { views: { workingSide: 512 }, band: { planSide: 512 } }],
];

const svc = new InferenceService({ provider: 'cpu' });
const segment = async (im: RgbImage) => (await svc.segment('selfie-general', im)).prob;
const names = fs.readdirSync(photos).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort();
const table: Record<string, number[]> = {};
const outDir = path.resolve(import.meta.dirname, 'reports', 'semantic');

for (const name of names) {
  const stem = path.parse(name).name;
  const image = await decodeRgb(path.join(photos, name));
  const ref = await decodeGrey(path.join(refs, `${stem}.png`));
  const gt = Float32Array.from(ref.data, (v) => v / 255);
  for (const [label, options] of CONFIGS) {
    // The engine's path: the whole stage (its full-size trimap painted from the working size), the fixed band when it is off.
    const r = await semanticStage(segment, image, options);
    const trimap = r.band?.trimap ?? makeTrimap(r.prob, image.width, image.height);
    const alpha = await refineAlpha(image, trimap, { method: 'closed-form' });
    (table[label] ??= []).push(sad(alpha, gt, image.width, image.height));
    if (montage && label.endsWith('(default)')) await writeMontage(stem, image, r.prob, trimap, alpha);
  }
}

const width = Math.max(...Object.keys(table).map((k) => k.length));
console.log(`${'SAD ÷1000, closed-form'.padEnd(width)} ${names.map((n) => path.parse(n).name.padStart(11)).join(' ')}        mean`);
for (const [label, values] of Object.entries(table)) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  console.log(`${label.padEnd(width)} ${values.map((v) => v.toFixed(3).padStart(11)).join(' ')} ${mean.toFixed(3).padStart(11)}`);
}
if (montage) console.log(`montages: ${outDir}`);
await svc.close();

async function writeMontage(stem: string, image: RgbImage, prob: Float32Array, trimap: Uint8Array, alpha: Float32Array): Promise<void> {
  const height = 320;
  const grey = (plane: Uint8Array) =>
    sharp(Buffer.from(plane.buffer, plane.byteOffset, plane.length), { raw: { width: image.width, height: image.height, channels: 1 } })
      .resize({ height })
      .toColourspace('srgb')
      .png()
      .toBuffer();
  const toBytes = (p: Float32Array) => Uint8Array.from(p, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  const tiles = await Promise.all([
    sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), { raw: { width: image.width, height: image.height, channels: 3 } }).resize({ height }).png().toBuffer(),
    grey(toBytes(prob)),
    grey(trimap),
    grey(toBytes(alpha)),
  ]);
  const w = Math.round((image.width * height) / image.height);
  fs.mkdirSync(outDir, { recursive: true });
  await sharp({ create: { width: 4 * w + 30, height, channels: 3, background: '#ffffff' } })
    .composite(tiles.map((input, k) => ({ input, left: k * (w + 10), top: 0 })))
    .png()
    .toFile(path.join(outDir, `${stem}.png`));
}
