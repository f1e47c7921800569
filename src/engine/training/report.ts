import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { BeforeAfterReport, BeforeAfterRow } from '../../shared/training';
import { decodeRgb } from '../imaging/decode';
import { writeFileAtomic } from '../imaging/atomic-write';
import { sad } from '../matting/metrics/metrics';
import { matteImage } from '../pipeline/matte';
import { matteProjectImage, readCutout } from '../pipeline/project-matte';
import type { PipelineEngine } from '../pipeline/types';
import type { Project } from '../project/project';

export interface Pipeline {
  modelId: string;
  refine: string;
}

export interface ReportOptions {
  imageIds: number[];
  /** The previous default (automatic trimap + refinement). */
  before: Pipeline;
  /** The new pair: its T-Net and M-Net. */
  after: Pipeline;
  /** The refinement that made the user's final alphas. */
  finalRefine: string;
  outDir: string;
  signal?: AbortSignal;
  /** A known alpha (0..255) to compare with instead of the user's final one: synthetic composites in benchmarks. */
  exactAlpha?(imageId: number): Promise<Uint8Array>;
}

const TILE = 96;

function toUnit(alpha: Uint8Array): Float32Array {
  const out = new Float32Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) out[i] = alpha[i] / 255;
  return out;
}

async function tile(raw: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  return sharp(Buffer.from(raw), { raw: { width, height, channels } }).resize(TILE, TILE, { fit: 'contain', background: '#000' }).removeAlpha().png().toBuffer();
}

/**
 * On images the training did not use: the automatic pipeline with the previous default and with
 * the new pair, each against the user's final alpha (the refinement of their current trimap, so
 * a corrected trimap's alpha where they corrected one), as SAD (/1000). Writes report.json and a
 * montage PNG (photo | final alpha | before | after, one row per image) into `outDir`.
 */
export async function beforeAfterReport(project: Project, engine: PipelineEngine, options: ReportOptions): Promise<BeforeAfterReport> {
  const rows: BeforeAfterRow[] = [];
  const montageRows: Buffer[][] = [];
  for (const imageId of options.imageIds) {
    options.signal?.throwIfAborted();
    const record = project.requireImage(imageId);
    const reference = options.exactAlpha
      ? await options.exactAlpha(imageId)
      : (await readCutout((await matteProjectImage(project, imageId, { refine: options.finalRefine, modelId: options.before.modelId, signal: options.signal }, engine)).cutoutFile)).alpha;
    const image = await decodeRgb(record.sourcePath, { maxPixels: project.maxPixels });
    const auto = async (p: Pipeline) => (await matteImage({ image, refine: p.refine, modelId: p.modelId, decontaminate: false, signal: options.signal }, engine)).alpha;
    const [before, after] = [await auto(options.before), await auto(options.after)];
    const gt = toUnit(reference);
    rows.push({
      imageId,
      relPath: record.relPath,
      reference: options.exactAlpha ? 'exact' : project.trimaps.state(imageId).version > 0 ? 'corrected' : 'final',
      before: sad(toUnit(before), gt, image.width, image.height),
      after: sad(toUnit(after), gt, image.width, image.height),
    });
    montageRows.push(await Promise.all([tile(image.data, image.width, image.height, 3), ...[reference, before, after].map((a) => tile(a, image.width, image.height, 1))]));
  }
  const mean = (k: 'before' | 'after') => (rows.length ? rows.reduce((s, r) => s + r[k], 0) / rows.length : 0);
  fs.mkdirSync(options.outDir, { recursive: true });
  const stem = options.exactAlpha ? 'report-exact' : 'report';
  const montage = path.join(options.outDir, `${stem}.png`);
  if (montageRows.length) {
    const png = await sharp({ create: { width: TILE * 4, height: TILE * montageRows.length, channels: 3, background: '#000' } })
      .composite(montageRows.flatMap((row, y) => row.map((input, x) => ({ input, left: x * TILE, top: y * TILE }))))
      .png()
      .toBuffer();
    await writeFileAtomic(montage, png);
  }
  const report: BeforeAfterReport = {
    before: options.before,
    after: options.after,
    rows,
    meanBefore: mean('before'),
    meanAfter: mean('after'),
    ...(montageRows.length ? { montage } : {}),
  };
  await writeFileAtomic(path.join(options.outDir, `${stem}.json`), Buffer.from(`${JSON.stringify(report, null, 2)}\n`));
  return report;
}

/** The report as a Markdown table (for the log and the notes). */
export function reportTable(r: BeforeAfterReport): string {
  const lines = [
    `| image | reference | SAD before (${r.before.modelId} + ${r.before.refine}) | SAD after (${r.after.modelId} + ${r.after.refine}) |`,
    '|---|---|---:|---:|',
    ...r.rows.map((row) => `| ${row.relPath} | ${row.reference} | ${row.before.toFixed(3)} | ${row.after.toFixed(3)} |`),
    `| mean | | ${r.meanBefore.toFixed(3)} | ${r.meanAfter.toFixed(3)} |`,
  ];
  return lines.join('\n');
}
