import { z } from 'zod';
import { collisionPolicies, exportLayouts } from '../../shared/vocabulary';
import { defaultRefinementMethod } from '../matting/alpha/methods';
import { DEFAULT_SEMANTIC_MODEL } from '../models/defaults';
import { WriteError } from '../imaging/atomic-write';
import { exportImage, writeTrainList } from '../export/export';
import { checkOutputDir, checkOutputFolders, ExportError } from '../export/paths';
import { FatalJobError, type ItemProcessor } from '../jobs/types';
import { MemoryBudget } from '../jobs/memory-budget';
import type { JobHandler } from '../jobs/manager';
import type { Project } from '../project/project';
import { matteProjectImage, readCutout } from './project-matte';
import { adjustedCutout } from './adjusted-cutout';
import type { PipelineEngine } from './types';
import type { WriteFs } from '../imaging/atomic-write';

export const MatteJobParams = z.strictObject({
  refine: z.string().min(1).default(defaultRefinementMethod),
  modelId: z.string().min(1).default(DEFAULT_SEMANTIC_MODEL),
  decontaminate: z.boolean().default(true),
});
export type MatteJobParams = z.infer<typeof MatteJobParams>;

export const ExportJobParams = MatteJobParams.extend({
  outDir: z.string().min(1),
  layout: z.enum(exportLayouts).default('mirror'),
  collision: z.enum(collisionPolicies).default('suffix'),
  alphaDir: z.string().optional(),
  trimapDir: z.string().optional(),
});
export type ExportJobParams = z.infer<typeof ExportJobParams>;

function failImage(project: Project, imageId: number, err: unknown): void {
  if (project.isOpen && !(err instanceof FatalJobError)) project.recordEvent(imageId, 'failed', err instanceof Error ? err.message : String(err));
}

/** Starts the model session and worker threads a batch with these params will use (see PipelineEngine.warmUp). */
function warmUp(engine: PipelineEngine, images: number, params: MatteJobParams): void {
  engine.warmUp?.({ images, modelId: params.modelId, refine: params.refine, decontaminate: params.decontaminate });
}

/** 'matte' jobs: refine each image (through the alpha cache) and mark it refined or failed. */
export function matteJobHandler(project: Project, engine: PipelineEngine): JobHandler {
  return (raw, run): ItemProcessor => {
    const params = MatteJobParams.parse(raw);
    // Threads for the images this run will matte, not for the whole project (one refine in the editor is one image).
    warmUp(engine, run.items, params);
    const budget = new MemoryBudget();
    return async (imageId, signal, item) => {
      try {
        const r = await budget.run(project.requireImage(imageId), signal, () => matteProjectImage(project, imageId, { ...params, signal, onProgress: item.progress }, engine));
        return { output: r.cutoutFile, ...(r.provider ? { provider: r.provider } : {}) };
      } catch (err) {
        if (!signal.aborted) failImage(project, imageId, err);
        throw err;
      }
    };
  };
}

/** Problems with the output folder or the disk stop the batch (every later image would fail the same way). */
function fatalIfOutputProblem(err: unknown): unknown {
  if (err instanceof ExportError) return new FatalJobError(err.message, { cause: err });
  if (err instanceof WriteError && err.code !== 'WRITE_FAILED') return new FatalJobError(err.message, { cause: err });
  return err;
}

/** 'export' jobs: matte if needed, then write the files; the output folder is checked before the first image. */
export function exportJobHandler(project: Project, engine: PipelineEngine, writeFs?: WriteFs): JobHandler {
  return (raw, run): ItemProcessor => {
    const params = ExportJobParams.parse(raw);
    const images = project.listImages();
    // The output folder must exist; it and the alpha and trimap folders follow the one output rule.
    checkOutputDir(params.outDir, images);
    const folders = [{ label: 'Output folder', dir: params.outDir }];
    if (params.alphaDir) folders.push({ label: 'Alpha folder', dir: params.alphaDir });
    if (params.trimapDir) folders.push({ label: 'Trimap folder', dir: params.trimapDir });
    const [outDir, alphaDir, trimapDir] = checkOutputFolders(folders, images, { create: true });
    warmUp(engine, run.items, params);
    const budget = new MemoryBudget();
    const taken = new Set<string>();
    return async (imageId, signal, item) => {
      try {
        const record = project.requireImage(imageId);
        const files = await budget.run(record, signal, async () => {
          const m = await matteProjectImage(project, imageId, { ...params, signal, onProgress: item.progress }, engine);
          const cut = await readCutout(m.cutoutFile);
          return exportImage(
            record,
            { width: cut.width, height: cut.height, rgb: m.image.data, ...adjustedCutout(project.db, imageId, m.image.data, cut), trimap: m.trimap },
            { outDir, layout: params.layout, collision: params.collision, alphaDir, trimapDir, writeFs, interrupted: item.interrupted },
            taken,
          );
        });
        if (params.layout === 'dataset' && !files.skipped) await writeTrainList(outDir, writeFs);
        project.recordEvent(imageId, 'exported');
        return files.main ? { output: files.main } : {};
      } catch (err) {
        const mapped = fatalIfOutputProblem(err);
        if (!signal.aborted) failImage(project, imageId, mapped);
        throw mapped;
      }
    };
  };
}
