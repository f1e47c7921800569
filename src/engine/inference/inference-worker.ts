import { workerPort } from '../workers/spawn.js';
import { ModelError } from '../models/errors.js';
import type { ResolvedModel, SerializedError, WorkerRequest, WorkerResponse } from './protocol.js';
import type { RgbImage } from '../imaging/raster.js';
import { InferenceError, selectProvider } from './providers.js';
import { SessionRunner } from './session-runner.js';
import { semanticStage, workingSideOf } from '../semantic/index.js';
import { detectFaces, normalizedBoxes, type Detection } from '../semantic/detector.js';
import { cachedWorkingImage } from '../semantic/working-image.js';

// Worker entry: owns the onnxruntime sessions and does pre/post-processing, so neither the
// inference nor the pixel loops run on the caller's event loop.
// Null outside the thread spawned as 'inference-worker' (a bundler may load this module elsewhere).
const port = workerPort('inference-worker');

let runner: SessionRunner | null = null;

function serialize(e: unknown): SerializedError {
  if (e instanceof ModelError) return { name: 'ModelError', code: e.code, message: e.message, problems: e.problems };
  if (e instanceof InferenceError) return { name: 'InferenceError', code: e.code, message: e.message };
  return { name: 'Error', message: e instanceof Error ? e.message : String(e) };
}

/** The faces a detector finds in `image`, through its two named heads (boxes and scores). */
function facesIn(r: SessionRunner, detector: ResolvedModel, image: RgbImage): Promise<Detection[]> {
  const heads = [detector.manifest.output.name, detector.manifest.detection?.scores ?? ''];
  return detectFaces((view) => r.runOutputs(detector, view, heads), detector.manifest, image);
}

async function handle(req: WorkerRequest): Promise<{ res: WorkerResponse; transfer: ArrayBuffer[] }> {
  switch (req.type) {
    case 'init': {
      const report = await selectProvider(req.provider);
      runner = new SessionRunner(report.active, req.tuning);
      return { res: { id: req.id, ok: true, type: 'init', report }, transfer: [] };
    }
    case 'run': {
      if (!runner) throw new InferenceError('SERVICE_CLOSED', 'inference worker not initialised');
      const t0 = performance.now();
      const { manifest } = req.model;
      if (!req.roles.includes(manifest.role)) {
        throw new ModelError('MODEL_MISMATCH', `model ${manifest.id} has role ${manifest.role}; this call needs ${req.roles.join(' or ')}`);
      }
      const { planes, runMs } = await runner.run(req.model, req.image, req.trimap);
      const res: WorkerResponse = { id: req.id, ok: true, type: 'run', planes, role: manifest.role, classes: manifest.output.classes, runMs, ms: performance.now() - t0 };
      return { res, transfer: planes.map((p) => p.buffer as ArrayBuffer) };
    }
    case 'semantic': {
      // The automatic trimap's semantic stage in one request: the views' model runs, their merge,
      // the subject selection and the smart band, none of it on the caller's event loop.
      const r = runner;
      if (!r) throw new InferenceError('SERVICE_CLOSED', 'inference worker not initialised');
      const t0 = performance.now();
      const { model } = req;
      if (model.manifest.role !== 'segmenter') throw new ModelError('MODEL_MISMATCH', `model ${model.manifest.id} has role ${model.manifest.role}; this call needs segmenter`);
      // Faces first, on the working image the views are cut from: they frame the person crop and
      // keep their regions in the subject selection.
      let options = req.options;
      if (req.detector) {
        const work = cachedWorkingImage(req.image, workingSideOf(options));
        options = { ...options, faces: normalizedBoxes(await facesIn(r, req.detector, work), work.width, work.height) };
      }
      const stage = await semanticStage(async (view) => (await r.run(model, view)).planes[0], req.image, options);
      const buffers = [stage.prob, stage.work.prob, stage.work.image.data, stage.band?.trimap, stage.band?.plan.radius, stage.band?.plan.complexity].map((a) => a?.buffer as ArrayBuffer | undefined);
      const transfer = [...new Set(buffers.filter((b): b is ArrayBuffer => b !== undefined))];
      return { res: { id: req.id, ok: true, type: 'semantic', stage, ms: performance.now() - t0 }, transfer };
    }
    case 'detect': {
      const r = runner;
      if (!r) throw new InferenceError('SERVICE_CLOSED', 'inference worker not initialised');
      const t0 = performance.now();
      const faces = await facesIn(r, req.model, req.image);
      return { res: { id: req.id, ok: true, type: 'detect', faces, ms: performance.now() - t0 }, transfer: [] };
    }
    case 'open': {
      if (!runner) throw new InferenceError('SERVICE_CLOSED', 'inference worker not initialised');
      await runner.load(req.model);
      return { res: { id: req.id, ok: true, type: 'open' }, transfer: [] };
    }
    case 'close': {
      await runner?.close();
      runner = null;
      return { res: { id: req.id, ok: true, type: 'close' }, transfer: [] };
    }
  }
}

if (port) port.on('message', (req: WorkerRequest) => {
  handle(req).then(
    ({ res, transfer }) => port.postMessage(res, transfer),
    (e: unknown) => port.postMessage({ id: req.id, ok: false, error: serialize(e) } satisfies WorkerResponse),
  );
});
