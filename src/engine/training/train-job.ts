import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { JobProgress } from '../../shared/contract';
import { StudioError } from '../../shared/errors';
import type { BeforeAfterReport, TrainingRecord, TrainingStatus, trainingStartParams } from '../../shared/training';
import { flatStem } from '../export/paths';
import { JobRuns } from '../jobs/job-runs';
import type { JobStore } from '../jobs/store';
import type { JobRecord } from '../jobs/types';
import { packageRoot } from '../models/models-dir';
import type { PipelineEngine } from '../pipeline/types';
import type { Project } from '../project/project';
import type { AppSettings } from '../user';
import { writeDatasetImage, writeSplit } from './dataset';
import { beforeAfterReport, reportTable } from './report';
import { checkPython, describeCheck, resolvePython } from './python';
import { annotatePair, pairTaken } from './trained-models';
import { runPythonScript, tailLines } from './trainer-process';

export const TRAIN_JOB_KIND = 'train';
const LOG_LINES_ON_FAILURE = 12;
/** The abort reason of a project close (as opposed to the user's cancel). */
const CLOSING = 'closing';

/** What a training job's row stores: the request, the pair's id, the run folder (relative to the project) and how its dataset is made. */
export type TrainJobParams = z.output<typeof trainingStartParams> & { pairId: string; runDir: string; refine: string; modelId: string };

export interface TrainingJobsOptions {
  project: Project;
  engine: PipelineEngine;
  store: JobStore;
  settings: () => AppSettings;
  modelsDir: string;
  onProgress(p: JobProgress): void;
  /** The folder of train.py and export.py (default: the package's training/). */
  trainingDir?: string;
}

/** A run's files, all under `<project>/training/<pair id>/`. */
export function runFiles(runDir: string) {
  return {
    dataset: path.join(runDir, 'dataset'),
    checkpoints: path.join(runDir, 'checkpoints'),
    log: path.join(runDir, 'trainer.log'),
    records: path.join(runDir, 'progress.jsonl'),
  };
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'pair'
  );
}

function hasCheckpoint(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /^ckpt_epoch_\d+\.pth$/.test(f));
}

/**
 * Training jobs of one project: rows in the project's job table (kind 'train', one item per
 * image of the dataset), each run being: write the dataset (export's dataset layout), run
 * training/train.py as a child process (its JSON lines become job progress, its output a log),
 * then training/export.py into the models folder, and record the training data in the pair's
 * manifests. A run interrupted by a cancel or a restart continues from its newest checkpoint.
 */
/** The checkpoint of the epoch with the lowest validation SAD (the last run's records win for an epoch trained twice). */
export function bestCheckpoint(records: TrainingRecord[], checkpointsDir: string): { path: string; epoch: number; sad: number } | undefined {
  const sadByEpoch = new Map<number, number>();
  for (const r of records) if (r.event === 'validation' && r.epoch !== undefined && r.sad !== undefined && Number.isFinite(r.sad)) sadByEpoch.set(r.epoch, r.sad);
  let best: { path: string; epoch: number; sad: number } | undefined;
  for (const [epoch, sad] of sadByEpoch) {
    const file = path.join(checkpointsDir, `ckpt_epoch_${String(epoch).padStart(4, '0')}.pth`);
    if ((!best || sad < best.sad) && fs.existsSync(file)) best = { path: file, epoch, sad };
  }
  return best;
}

export class TrainingJobs {
  private readonly running: JobRuns;

  constructor(private readonly options: TrainingJobsOptions) {
    this.running = new JobRuns(options.store);
  }

  private get trainingDir(): string {
    return this.options.trainingDir ?? process.env.SHM_TRAINING_DIR ?? path.join(packageRoot(), 'training');
  }

  owns(jobId: number): boolean {
    return this.options.store.get(jobId)?.kind === TRAIN_JOB_KIND;
  }

  /** Checks Python and PyTorch, then creates the job and starts it; nothing is written when the check fails. */
  async start(params: z.output<typeof trainingStartParams>, imageIds: number[]): Promise<{ jobId: number; pairId: string }> {
    const busy = this.running.ids()[0];
    if (busy !== undefined) throw new StudioError('BAD_REQUEST', `Training job ${busy} is running in this project; cancel it or wait for it to finish.`);
    const check = await checkPython(resolvePython(this.options.settings().pythonPath));
    if (!check.ok) throw new StudioError('TRAINING_UNAVAILABLE', describeCheck(check), check);
    if (params.device === 'cuda' && !check.cuda) throw new StudioError('TRAINING_UNAVAILABLE', `${check.message} The device "cuda" needs a PyTorch that sees a CUDA GPU; choose cpu or auto.`, check);
    const { project, modelsDir } = this.options;
    let pairId = params.pairId ?? `${slug(project.name)}-${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
    if (params.pairId && pairTaken(modelsDir, pairId)) throw new StudioError('BAD_REQUEST', `A model pair "${pairId}" exists already; choose another name.`);
    for (let n = 2; pairTaken(modelsDir, pairId) || fs.existsSync(path.join(project.dir, 'training', pairId)); n++) pairId = `${params.pairId ?? pairId.replace(/-\d+$/, '')}-${n}`;
    const s = this.options.settings();
    const stored: TrainJobParams = { ...params, pairId, runDir: path.join('training', pairId), refine: s.refineMethod, modelId: s.semanticModel };
    const jobId = this.options.store.create(TRAIN_JOB_KIND, stored, imageIds);
    this.launch(jobId);
    return { jobId, pairId };
  }

  /** Continues a job that a cancel, a failure or a restart stopped. */
  resume(jobId: number): void {
    const job = this.requireJob(jobId);
    if (job.state === 'done') throw new StudioError('BAD_REQUEST', `Training job ${jobId} is finished; start a new one to train again.`);
    if (!this.running.has(jobId)) this.launch(jobId);
  }

  cancel(jobId: number): boolean {
    return this.running.cancel(jobId, ['queued', 'running']);
  }

  /** Jobs a kill or a crash of the studio stopped while they were running. */
  resumeInterrupted(): number[] {
    const ids = this.options.store
      .list({ state: ['queued', 'running'] })
      .filter((j) => j.kind === TRAIN_JOB_KIND)
      .map((j) => j.id);
    for (const id of ids) this.resume(id);
    return ids;
  }

  isRunning(jobId: number): boolean {
    return this.running.has(jobId);
  }

  finished(jobId: number): Promise<JobRecord> {
    return this.running.finished(jobId) ?? Promise.resolve(this.requireJob(jobId));
  }

  /** Stops every trainer for a close of the project; the jobs stay 'running', so the next open resumes them. */
  stopAll(): Promise<void> {
    return this.running.stopAll(CLOSING);
  }

  status(jobId: number): TrainingStatus {
    const job = this.requireJob(jobId);
    const params = job.params as TrainJobParams;
    const runDir = path.join(this.options.project.dir, params.runDir);
    const file = runFiles(runDir).records;
    const records = fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((l) => {
            // A kill can cut the last line short: it is left out.
            try {
              return [JSON.parse(l) as TrainingRecord];
            } catch {
              return [];
            }
          })
      : [];
    const { runDir: _rel, refine: _r, modelId: _m, ...request } = params;
    const reportFile = path.join(runDir, 'report.json');
    const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as BeforeAfterReport) : undefined;
    const montage = report?.montage && this.montageFile(jobId) ? { montageRef: `report/${jobId}` } : {};
    return { jobId, state: job.state, params: request, runDir, records, ...(job.reason ? { message: job.reason } : {}), ...(report ? { report } : {}), ...montage };
  }

  /** The folder of every run of the project (`<project>/training`). */
  get runsDir(): string {
    return path.join(this.options.project.dir, 'training');
  }

  /** A training job's before/after montage, once its run wrote one; null for any other id. */
  montageFile(jobId: number): string | null {
    const job = this.options.store.get(jobId);
    if (!job || job.kind !== TRAIN_JOB_KIND) return null;
    const file = path.join(this.options.project.dir, (job.params as TrainJobParams).runDir, 'report.png');
    return fs.existsSync(file) ? file : null;
  }

  log(jobId: number, lines: number): { file: string; text: string } {
    const params = this.requireJob(jobId).params as TrainJobParams;
    const file = runFiles(path.join(this.options.project.dir, params.runDir)).log;
    return { file, text: tailLines(file, lines) };
  }

  /** Refined images the training did not learn from: its validation split, and refined ones it was not given. */
  private heldOut(trainedIds: number[], valNames: string[]): number[] {
    const val = new Set(valNames);
    const given = new Set(trainedIds);
    return this.options.project
      .listImages({ status: ['refined', 'exported'] })
      .filter((i) => (given.has(i.id) ? val.has(`${flatStem(i.relPath)}.png`) : true))
      .map((i) => i.id);
  }

  private requireJob(jobId: number): JobRecord {
    const job = this.options.store.get(jobId);
    if (!job || job.kind !== TRAIN_JOB_KIND) throw new StudioError('NOT_FOUND', `No training job ${jobId}`);
    return job;
  }

  private launch(jobId: number): void {
    this.running.start(jobId, (signal) => this.run(jobId, signal));
  }

  private async run(jobId: number, signal: AbortSignal): Promise<JobRecord> {
    const { store, project, engine, onProgress } = this.options;
    const params = (store.get(jobId) as JobRecord).params as TrainJobParams;
    const runDir = path.join(project.dir, params.runDir);
    const files = runFiles(runDir);
    fs.mkdirSync(files.checkpoints, { recursive: true });
    fs.mkdirSync(files.dataset, { recursive: true });
    store.begin(jobId);
    const items = store.items(jobId);
    const total = items.length;
    let done = items.filter((i) => i.state === 'done').length;
    const emit = (p: Partial<JobProgress> & Pick<JobProgress, 'state'>) => onProgress({ jobId, kind: TRAIN_JOB_KIND, done, failed: 0, total, ...p });
    const end = (state: 'done' | 'failed' | 'cancelled', message: string) => {
      if (state === 'cancelled' && signal.reason === CLOSING) return store.get(jobId) as JobRecord;
      store.finish(jobId, state, state === 'done' ? undefined : message);
      emit({ state, message });
      return store.get(jobId) as JobRecord;
    };
    const record = (r: TrainingRecord) => fs.appendFileSync(files.records, `${JSON.stringify(r)}\n`);

    try {
      // 1. The dataset: every image not yet written (a cancelled or killed run wrote some).
      emit({ state: 'running', message: `Writing the dataset (${done}/${total})` });
      const taken = new Set<string>();
      for (const item of items) {
        if (signal.aborted) return end('cancelled', 'Cancelled');
        if (item.state === 'done') continue;
        await writeDatasetImage(project, engine, item.imageId, files.dataset, { refine: params.refine, modelId: params.modelId, signal }, taken);
        store.itemDone(jobId, item.imageId, 0, {});
        done++;
        emit({ state: 'running', message: `Writing the dataset (${done}/${total})`, current: project.getImage(item.imageId)?.relPath });
      }
      const split = await writeSplit(files.dataset);
      if (!split.train.length) return end('failed', 'No image could be written to the dataset.');

      // 2. Training, from the newest checkpoint when a run was interrupted.
      const python = resolvePython(this.options.settings().pythonPath);
      const args = [
        '--dataDir', files.dataset,
        '--saveDir', files.checkpoints,
        '--train_phase', params.phase,
        '--nEpochs', String(params.epochs),
        '--patch_size', String(params.patchSize),
        '--train_batch', String(params.batchSize),
        '--device', params.device,
        '--cpuThreads', String(os.availableParallelism()),
        '--no_chart',
        ...(hasCheckpoint(files.checkpoints) ? ['--finetuning'] : []),
      ];
      const onRecord = (r: TrainingRecord) => {
        record(r);
        const stepsPerEpoch = r.steps ?? r.steps_per_epoch;
        const p: Partial<JobProgress> = { message: `${r.event}${r.epoch !== undefined ? ` epoch ${r.epoch}/${params.epochs}` : ''}`, training: r };
        if (r.global_step !== undefined && stepsPerEpoch) Object.assign(p, { done: r.global_step, total: stepsPerEpoch * params.epochs });
        if (r.eta_s !== undefined && r.eta_s !== null) p.etaMs = r.eta_s * 1000;
        if (r.images_per_s !== undefined) p.ratePerSec = r.images_per_s;
        emit({ state: 'running', ...p });
      };
      const trained = await runPythonScript(python, path.join(this.trainingDir, 'train.py'), args, { logFile: files.log, onRecord, signal, cwd: runDir });
      if (trained.cancelled || signal.aborted) return end('cancelled', 'Cancelled; resume continues from the last checkpoint.');
      if (trained.code !== 0) return end('failed', `train.py ${trained.signal ? `was killed (${trained.signal})` : `exited with code ${trained.code}`}:\n${tailLines(files.log, LOG_LINES_ON_FAILURE)}`);

      // 3. Export into the models folder (weights first, manifests last), then the training data.
      emit({ state: 'running', message: `Exporting ${params.pairId}-tnet and ${params.pairId}-mnet` });
      // The epoch with the lowest validation SAD whose checkpoint is there (small projects overfit), else the newest.
      const best = bestCheckpoint(this.status(jobId).records, files.checkpoints);
      const exportArgs = ['--ckpt', best?.path ?? files.checkpoints, '--id', params.pairId, '--out', path.resolve(this.options.modelsDir), '--size', String(params.inputSize), '--node', process.execPath];
      const exported = await runPythonScript(python, path.join(this.trainingDir, 'export.py'), exportArgs, { logFile: files.log, signal, cwd: runDir });
      if (exported.cancelled || signal.aborted) return end('cancelled', 'Cancelled; resume continues from the last checkpoint.');
      if (exported.code !== 0) return end('failed', `export.py exited with code ${exported.code}:\n${tailLines(files.log, LOG_LINES_ON_FAILURE)}`);
      annotatePair(this.options.modelsDir, {
        pairId: params.pairId,
        project: project.name,
        images: split.train.length,
        date: new Date().toISOString(),
        phase: params.phase,
        epochs: params.epochs,
        ...(best ? { validationSad: best.sad, epoch: best.epoch } : {}),
      });
      record({ event: 'export', message: `${params.pairId}-tnet and ${params.pairId}-mnet are in the models folder` });

      // 4. Before and after, on refined images the training did not use (the validation split, and any left out).
      const heldOut = this.heldOut(items.map((i) => i.imageId), split.val);
      if (heldOut.length) {
        emit({ state: 'running', message: `Comparing before and after on ${heldOut.length} held-out image${heldOut.length === 1 ? '' : 's'}` });
        const report = await beforeAfterReport(project, engine, {
          imageIds: heldOut,
          before: { modelId: params.modelId, refine: params.refine },
          after: { modelId: `${params.pairId}-tnet`, refine: `${params.pairId}-mnet` },
          finalRefine: params.refine,
          outDir: runDir,
          signal,
        });
        fs.appendFileSync(files.log, `\nBefore and after training (SAD /1000 against the user's final alpha):\n${reportTable(report)}\n`);
      }
      return end('done', `Trained ${params.pairId}: ${params.pairId}-tnet (automatic trimap) and ${params.pairId}-mnet (refinement)`);
    } catch (err) {
      if (signal.aborted) return end('cancelled', 'Cancelled');
      const message = err instanceof Error ? err.message : String(err);
      return end('failed', (err as NodeJS.ErrnoException).code === 'ENOENT' ? `Cannot run Python: ${message}` : message);
    }
  }
}
