import type { RgbImage } from '../imaging/raster';
import type { InferenceService, ProviderSetting } from '../inference/service';
import type { MattingPool, RefinementMethodId } from '../matting';
import type { WarmUpReport } from '../matting/workers/warm-up';
import type { ModelRole } from '../models/manifest';
import type { PipelineEngine, RefineHints, RefineResult, WarmUpPlan } from './types';
import { CLASSICAL_METHODS } from './matte';
import { foregroundFromProbabilities } from './shm-trimap';
import { PipelinePool } from './pipeline-pool';
import { semanticSettingsKey, semanticTrimap, type SemanticOptions, type SemanticResult, type SmartBand } from '../semantic';

/** Receives the semantic stage's parts of an image, for a developer to look at. */
export interface SemanticDebugSink {
  semantic?(image: RgbImage, result: SemanticResult): void | Promise<void>;
  band?(image: RgbImage, band: SmartBand): void | Promise<void>;
}

export interface DefaultEngineOptions {
  provider: ProviderSetting;
  modelsDir?: string;
  /** Band radius of the automatic trimap (pixels or '% of the longer side'). */
  band?: number | `${number}%`;
  /** Refinement working-resolution cap in megapixels (default: each method's own). */
  workingMegapixels?: number;
  /** Matting worker threads (default: one per core). */
  mattingThreads?: number;
  /** Worker threads for trimaps and foreground colours (default: one per core). */
  pipelineThreads?: number;
  /**
   * The automatic trimap of segmenter models: views, subject selection, smart band (see
   * src/engine/semantic). An explicit `band` radius keeps the fixed band.
   */
  semantic?: SemanticOptions;
  /** Sees the semantic stage's parts of each image (the CLI's --debug-dir). */
  debug?: SemanticDebugSink;
}

/** Alpha straight from the trimap; inside the unknown band the semantic probability (or one half). */
function alphaWithoutRefinement(trimap: Uint8Array, prob?: Float32Array): Float32Array {
  const alpha = new Float32Array(trimap.length);
  for (let i = 0; i < trimap.length; i++) alpha[i] = trimap[i] === 255 ? 1 : trimap[i] === 0 ? 0 : prob ? prob[i] : 0.5;
  return alpha;
}

/**
 * The engine the CLI and the studio use: the semantic model through InferenceService (its own
 * worker thread), matting from src/engine/matting. The inference service starts on first use, so
 * a run with trimaps supplied never loads onnxruntime.
 */
export function createDefaultEngine(options: DefaultEngineOptions): PipelineEngine & {
  providerReport(): Promise<unknown>;
  warmUp(plan: WarmUpPlan): void;
  /** What the matting threads' warm-ups did so far (for tests and diagnostics; see warmUp). */
  warmedUp(): Promise<(WarmUpReport | null)[]>;
  close(): Promise<void>;
} {
  let service: Promise<InferenceService> | undefined;
  const inference = () =>
    (service ??= import('../inference/service').then((m) => new m.InferenceService({ provider: options.provider, modelsDir: options.modelsDir })));
  // The solvers run on worker threads: the caller's event loop stays free and both cores work.
  let pool: Promise<MattingPool> | undefined;
  const matting = () => (pool ??= import('../matting').then((m) => new m.MattingPool({ size: options.mattingThreads })));
  let stages: PipelinePool | undefined;
  const pipeline = () => (stages ??= new PipelinePool(options.pipelineThreads));
  let closed = false;
  /** Smart bands segment made, by the probability it returned, until makeTrimap takes them. */
  const bands = new WeakMap<Float32Array, SmartBand>();
  const roles = new Map<string, ModelRole>();
  const roleOf = async (modelId: string) => {
    let role = roles.get(modelId);
    if (!role) {
      const { getModel } = await import('../models/registry');
      role = getModel(modelId, options.modelsDir).manifest.role;
      roles.set(modelId, role);
    }
    return role;
  };

  return {
    settingsKey: {
      trimap: `band=${options.band ?? 'default'};${semanticSettingsKey(options.semantic)}`,
      // `detail`: photos from 4 MP up have their band solved at full resolution in tiles since
      // matting/alpha/band-tiles.ts; cut-outs cached before it were softer and are made again.
      refine: { workingMegapixels: options.workingMegapixels ?? null, detail: 'band-tiles' },
    },
    async providerReport() {
      return (await inference()).providerReport();
    },
    async segment(modelId: string, image: RgbImage) {
      const svc = await inference();
      if ((await roleOf(modelId)) === 'trimap') {
        // SHM T-Net: the paper's semantic stage.
        const t = await svc.trimap(modelId, image);
        return { prob: foregroundFromProbabilities(t.probabilities), provider: t.provider, trimap: t.probabilities };
      }
      // The whole semantic stage runs on the inference thread; its smart band waits for makeTrimap.
      const r = await svc.semantic(modelId, image, options.band === undefined ? (options.semantic ?? {}) : { ...options.semantic, band: false });
      await options.debug?.semantic?.(image, r.stage);
      if (r.stage.band) bands.set(r.stage.prob, r.stage.band);
      return { prob: r.stage.prob, provider: r.provider };
    },
    async makeTrimap(prob, width, height, image) {
      const made = bands.get(prob);
      bands.delete(prob);
      const smart = image && options.band === undefined ? (made ?? semanticTrimap(prob, image, options.semantic)) : null;
      if (!smart) return pipeline().makeTrimap(prob, width, height, options.band === undefined ? {} : { band: options.band });
      await options.debug?.band?.(image as RgbImage, smart);
      return smart.trimap;
    },
    async refine(method: string, image: RgbImage, trimap: Uint8Array, hints: RefineHints): Promise<RefineResult> {
      const report = hints.onProgress;
      const ctx = { signal: hints.signal, ...(report ? { onProgress: (p: { fraction: number }) => report(p.fraction) } : {}) };
      switch (method) {
        case 'none':
          return { alpha: alphaWithoutRefinement(trimap, hints.prob) };
        case 'closed-form':
        case 'knn':
        case 'guided':
          return {
            alpha: await (await matting()).refine(
              image,
              trimap,
              { method: method as RefinementMethodId, ...(options.workingMegapixels ? { maxMegapixels: options.workingMegapixels } : {}) },
              ctx,
            ),
          };
        default: {
          // A matting-role model (SHM M-Net or end-to-end) by id.
          const [{ shmProbabilitiesFromTrimap, fuseShm }, svc] = await Promise.all([import('../matting/alpha/fusion'), inference()]);
          const soft = hints.trimapProbabilities;
          if (soft) {
            // The paper's path: the T-Net's soft probabilities in, alpha = Fs + Us * alpha_r out.
            const r = await svc.matte(method, image, soft);
            return { alpha: fuseShm(soft.foreground, soft.unknown, r.alpha), provider: r.provider, fused: true };
          }
          const { fs, us } = shmProbabilitiesFromTrimap(trimap);
          const bg = new Float32Array(fs.length);
          for (let i = 0; i < bg.length; i++) bg[i] = Math.max(0, 1 - fs[i] - us[i]);
          const r = await svc.matte(method, image, { background: bg, unknown: us, foreground: fs });
          return { alpha: r.alpha, provider: r.provider };
        }
      }
    },
    warmUp(plan: WarmUpPlan) {
      if (plan.images <= 0 || closed) return;
      const ignore = () => undefined;
      const classical = isClassicalMethod(plan.refine);
      const models = [plan.modelId, classical ? undefined : plan.refine].filter((id): id is string => !!id);
      // The model session is every image's first step: it starts alone, and the worker threads of
      // the later stages once it is up (started together, the threads' module loading delayed the
      // session by half a second on two cores; measured again for issue 15 with the built CLI's
      // spare inference thread, 8 alternating rounds on 3 photos: first image out 2.50 s in this
      // order, 2.60 s with everything at once).
      const sessions = models.length ? inference().then((s) => Promise.all(models.map((id) => s.preload(id)))).catch(ignore) : Promise.resolve();
      // The threads for trimaps and foreground colours start last, once the first matting thread
      // has warmed up: the first image needs them only after its refinement, and started beside
      // its segmentation (with their own warm-up) they slowed it. Built CLI, 15 photos, 4
      // alternating rounds (load 2.5-3.3): first image written 1.20-1.40 s after start (median
      // 1.28) against 1.25-1.56 s (median 1.46) with them started with the matting threads; first
      // segmentation 226-315 against 379-441 ms; whole run 6.11-6.57 against 6.19-6.50 s. One of
      // them warms its foreground code (pipeline-worker.ts); the pool gives the first image's
      // colours to it once warm.
      const laterStages = () => {
        if (closed || !(plan.modelId || plan.decontaminate)) return;
        const stages = pipeline();
        if (plan.decontaminate) stages.prestart(1, true);
        stages.prestart(plan.images);
      };
      void sessions.then(() => {
        // A closed engine must not start threads that nothing would close.
        if (closed) return;
        if (!classical || plan.refine === 'none') return laterStages();
        const method = plan.refine as RefinementMethodId;
        // The first matting thread warms its code on small synthetic solves (matting/workers/warm-up.ts);
        // the others start cold, as before. The pool hands a job a thread that has warmed up when
        // one is idle, else one that is not warming up (WorkerPool.takeIdle): the first refinement
        // takes this thread if its warm-up has ended, else the other while this one warms. Built
        // CLI, 15 photos, 4 alternating rounds at load 2.8-3.9: first image out 1.88 s and whole
        // run 7.94 s; without a warm-up 2.08 and 8.66 s; with the first refinement waiting for the
        // warmed thread and the rest started after it, 2.21 and 8.59 s. Warming every thread at
        // once was slower in the whole run (another series).
        matting()
          .then((p) => {
            p.prestart(1, method);
            p.prestart(plan.images);
            return p.warmedUp();
          })
          .then(laterStages, laterStages);
      });
    },
    async warmedUp() {
      return pool ? (await pool).warmedUp() : [];
    },
    estimateForeground(image: RgbImage, alpha: Float32Array, signal?: AbortSignal) {
      return pipeline().estimateForeground(image, alpha, signal);
    },
    async close() {
      closed = true;
      await Promise.all([service?.then((x) => x.close()), pool?.then((x) => x.close()), stages?.close()]);
    },
  };
}

export function isClassicalMethod(method: string): boolean {
  return (CLASSICAL_METHODS as readonly string[]).includes(method);
}
