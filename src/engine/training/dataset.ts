import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../imaging/atomic-write';
import { exportImage } from '../export/export';
import { matteProjectImage, readCutout } from '../pipeline/project-matte';
import type { PipelineEngine } from '../pipeline/types';
import type { Project } from '../project/project';

/** Images a training takes, when none are named, where the user corrected no trimap: those they have a refinement of. */
const REFINED = ['refined', 'exported'] as const;

/**
 * The images a training learns from when the request names none: those whose trimap the user
 * corrected (their alpha, refined from the corrected trimap, is what the pair should learn: the
 * automatic alphas of the others would teach it the previous default's mistakes). Where no trimap
 * is corrected, every refined image.
 */
export function defaultTrainingImages(project: Project): { ids: number[]; corrected: boolean } {
  const corrected = project
    .listImages()
    .filter((i) => i.status !== 'failed' && project.trimaps.state(i.id).version > 0)
    .map((i) => i.id);
  if (corrected.length) return { ids: corrected, corrected: true };
  return { ids: project.listImages({ status: [...REFINED] }).map((i) => i.id), corrected: false };
}

export interface DatasetImageOptions {
  refine: string;
  modelId: string;
  signal?: AbortSignal;
}

/**
 * Writes one project image into a training dataset with the export's dataset layout
 * (`image/ mask/ trimap/ alpha/`): the alpha is the image's refinement for its current trimap
 * (the user's corrections included), from the alpha cache when it is there. Unlike an export, the
 * image's status does not change. A file a killed run left with exactly these bytes is reused.
 */
export async function writeDatasetImage(project: Project, engine: PipelineEngine, imageId: number, outDir: string, options: DatasetImageOptions, taken: Set<string>): Promise<void> {
  const record = project.requireImage(imageId);
  const m = await matteProjectImage(project, imageId, { refine: options.refine, modelId: options.modelId, decontaminate: true, signal: options.signal }, engine);
  const cut = await readCutout(m.cutoutFile);
  await exportImage(
    record,
    { width: cut.width, height: cut.height, rgb: m.image.data, alpha: cut.alpha, foreground: cut.rgb, trimap: m.trimap },
    { outDir, layout: 'dataset', collision: 'suffix', interrupted: true },
    taken,
  );
}

/**
 * train.txt and val.txt over the dataset's images: every fifth image (at least one, when there
 * are two or more) is held out for validation, so the trainer reports a validation SAD.
 */
export async function writeSplit(outDir: string): Promise<{ train: string[]; val: string[] }> {
  const imageDir = path.join(outDir, 'image');
  const names = fs.existsSync(imageDir) ? fs.readdirSync(imageDir).filter((n) => n.endsWith('.png') && !n.startsWith('.')).sort() : [];
  let val = names.filter((_, i) => i % 5 === 4);
  if (!val.length && names.length >= 2) val = [names[names.length - 1]];
  const train = names.filter((n) => !val.includes(n));
  const list = (items: string[]) => Buffer.from(items.map((n) => `${n}\n`).join(''));
  await writeFileAtomic(path.join(outDir, 'train.txt'), list(train));
  if (val.length) await writeFileAtomic(path.join(outDir, 'val.txt'), list(val));
  else fs.rmSync(path.join(outDir, 'val.txt'), { force: true });
  return { train, val };
}
