import fs from 'node:fs';
import sharp from 'sharp';
import { decodeRgb } from '../imaging/decode';
import { encodeRgbaPng } from '../imaging/encode';
import type { RgbImage } from '../imaging/raster';
import type { Project } from '../project/project';
import { matteImage } from './matte';
import { trimapFromProbabilities } from './shm-trimap';
import type { PipelineEngine, StageTimings } from './types';

export interface ProjectMatteOptions {
  refine: string;
  modelId: string;
  decontaminate?: boolean;
  signal?: AbortSignal;
  onProgress?(fraction: number): void;
}

export interface ProjectMatte {
  image: RgbImage;
  /** Cached RGBA cut-out: decontaminated colours (when on) with the alpha in channel 4. */
  cutoutFile: string;
  trimap: Uint8Array;
  cached: boolean;
  provider?: string;
  timings: StageTimings;
}

/** Names an automatic trimap: the semantic model and the trimap settings it was made with. */
export function autoTrimapKey(engine: PipelineEngine, modelId: string): string {
  return engine.settingsKey ? `${modelId} ${engine.settingsKey.trimap}` : modelId;
}

/** The settings a cached cut-out depends on, besides its trimap revision and method. */
export function alphaCacheSettings(engine: PipelineEngine, decontaminate: boolean): Record<string, unknown> {
  return { decontaminate, ...engine.settingsKey?.refine };
}

/** The automatic trimap of an image: from the cache, or computed by the semantic model and stored. */
export async function ensureAutoTrimap(project: Project, imageId: number, image: RgbImage, modelId: string, engine: PipelineEngine, signal?: AbortSignal) {
  const key = autoTrimapKey(engine, modelId);
  const cached = await project.trimaps.loadAuto(imageId, key);
  if (cached) return { auto: cached, provider: undefined as string | undefined };
  const seg = await engine.segment(modelId, image, signal);
  // An SHM T-Net's trimap is its own three-class argmax (as in matteImage); a segmenter's comes from the band around its mask.
  const auto = seg.trimap ? trimapFromProbabilities(seg.trimap) : await engine.makeTrimap(seg.prob, image.width, image.height, image);
  await project.trimaps.saveAuto(imageId, auto, { modelId: key, provider: seg.provider });
  return { auto, provider: seg.provider };
}

/**
 * Mattes one project image with its current trimap (automatic + the user's edits), through the
 * alpha cache: the same trimap revision, method and settings are never computed twice.
 */
export async function matteProjectImage(project: Project, imageId: number, options: ProjectMatteOptions, engine: PipelineEngine): Promise<ProjectMatte> {
  const record = project.requireImage(imageId);
  const timings: StageTimings = {};
  let t = performance.now();
  const image = await decodeRgb(record.sourcePath, { maxPixels: Number.MAX_SAFE_INTEGER });
  timings.decode = performance.now() - t;
  if (image.width !== record.width || image.height !== record.height) {
    throw new Error(`${record.sourcePath} changed since import (${image.width}×${image.height}, was ${record.width}×${record.height})`);
  }
  t = performance.now();
  const { auto, provider: segProvider } = await ensureAutoTrimap(project, imageId, image, options.modelId, engine, options.signal);
  timings.segment = performance.now() - t;
  // Painting many or large strokes runs on a worker thread (TrimapHistory.render).
  const trimap = await project.trimaps.render(imageId, auto);
  const key = {
    imageId,
    trimapRevision: project.trimaps.revision(imageId),
    method: options.refine,
    settings: alphaCacheSettings(engine, options.decontaminate !== false),
  };
  const hit = project.alphas.get(key);
  if (hit) {
    // A cut-out for this very trimap exists (after an undo, say): the image is refined again.
    project.recordEvent(imageId, 'refined');
    return { image, cutoutFile: hit, trimap, cached: true, timings };
  }

  const result = await matteImage(
    { image, trimap, refine: options.refine, modelId: options.modelId, decontaminate: options.decontaminate, signal: options.signal, onProgress: options.onProgress },
    engine,
  );
  t = performance.now();
  const png = await encodeRgbaPng(result.foreground ?? image.data, result.alpha, image.width, image.height);
  const cutoutFile = await project.alphas.put(key, png);
  Object.assign(timings, result.timings, { encode: performance.now() - t });
  project.recordEvent(imageId, 'refined');
  const out: ProjectMatte = { image, cutoutFile, trimap, cached: false, timings };
  const provider = result.provider ?? segProvider;
  if (provider) out.provider = provider;
  return out;
}

/** Splits a cached RGBA cut-out into colours and alpha. */
export async function readCutout(file: string): Promise<{ rgb: Uint8Array; alpha: Uint8Array; width: number; height: number }> {
  if (!fs.existsSync(file)) throw new Error(`Cached matte ${file} is missing`);
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const rgb = new Uint8Array(n * 3);
  const alpha = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    rgb[i * 3] = data[i * 4];
    rgb[i * 3 + 1] = data[i * 4 + 1];
    rgb[i * 3 + 2] = data[i * 4 + 2];
    alpha[i] = data[i * 4 + 3];
  }
  return { rgb, alpha, width: info.width, height: info.height };
}
