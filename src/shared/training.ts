/**
 * The learning studio's part of the contract: training a project's SHM pair with the PyTorch
 * trainer (training/train.py), its progress records, and what a trained pair knows of its data.
 */
import { z } from 'zod';

/** The trainer's phases (train.py --train_phase), in the paper's order. */
export const trainingPhases = ['pre_train_t_net', 'pre_train_m_net', 'end_to_end'] as const;
export type TrainingPhase = (typeof trainingPhases)[number];

export const trainingDevices = ['auto', 'cpu', 'cuda'] as const;
export type TrainingDevice = (typeof trainingDevices)[number];

/**
 * The trainer's interpreter, as the API may set it: a file named like Python (the studio runs it,
 * so a window cannot point it at any other program).
 */
export const PYTHON_PATH = /(^|[\\/])(python[0-9.]*|py)(\.exe)?$/i;

/** Model ids the trainer's export accepts (export.py): the pair is `<id>-tnet` and `<id>-mnet`. */
export const PAIR_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,53}$/;

/** Patch and network input sizes (square): the T-Net downsamples 32x. */
export const TRAINING_SIZE = { min: 32, max: 1024, step: 32 } as const;
const trainingSize = z.number().int().min(TRAINING_SIZE.min).max(TRAINING_SIZE.max).multipleOf(TRAINING_SIZE.step);

export const trainingStartParams = z.strictObject({
  /** Images to learn from (default: those whose trimap the user corrected; where none is, every refined or exported one). */
  imageIds: z.array(z.number().int().positive()).min(1).max(100_000).optional(),
  phase: z.enum(trainingPhases).default('end_to_end'),
  epochs: z.number().int().min(1).max(10_000).default(20),
  patchSize: trainingSize.default(320),
  batchSize: z.number().int().min(1).max(256).default(8),
  device: z.enum(trainingDevices).default('auto'),
  /** Network input of the exported pair: the whole photo is resized to it (the paper's 320). */
  inputSize: trainingSize.default(320),
  /** Pair id (default: from the project's name and the date). */
  pairId: z.string().regex(PAIR_ID_PATTERN).optional(),
});

/** What the trainer prints, one JSON object a line (training/shm/progress.py), as the studio passes it on. */
export interface TrainingRecord {
  event: 'start' | 'step' | 'epoch' | 'validation' | 'checkpoint' | 'done' | 'error' | 'export';
  time?: number;
  epoch?: number;
  step?: number;
  steps?: number;
  global_step?: number;
  loss?: number;
  loss_p?: number;
  loss_t?: number;
  images_per_s?: number;
  eta_s?: number | null;
  sad?: number;
  mse?: number;
  trimap_accuracy?: number;
  start_epoch?: number;
  last_epoch?: number;
  steps_per_epoch?: number;
  train_images?: number;
  val_images?: number;
  resumed_from?: string | null;
  device?: string;
  path?: string;
  message?: string;
}

/** Python and PyTorch as the trainer would find them; `ok` false says what is missing and how to install it. */
export interface TrainingCheck {
  ok: boolean;
  python: string;
  pythonVersion?: string;
  torchVersion?: string;
  cuda?: boolean;
  message: string;
  install?: { debian: string; macos: string; windows: string };
}

export interface TrainingStatus {
  jobId: number;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  params: z.output<typeof trainingStartParams> & { pairId: string };
  runDir: string;
  /** Every progress record so far, oldest first (the chart's data after a reload). */
  records: TrainingRecord[];
  message?: string;
  /** After a finished run: the automatic pipeline before and after, on images the training did not use. */
  report?: BeforeAfterReport;
  /** The report's montage as a media reference (`report/<jobId>`): turn into a URL with the transport's `mediaUrl`. */
  montageRef?: string;
}

export interface BeforeAfterRow {
  imageId: number;
  relPath: string;
  /** 'corrected': the user's alpha from a trimap they corrected; 'final': from the automatic trimap they kept; 'exact': a known alpha (benchmarks). */
  reference: 'corrected' | 'final' | 'exact';
  /** SAD (/1000) against the reference. */
  before: number;
  after: number;
}

export interface BeforeAfterReport {
  before: { modelId: string; refine: string };
  after: { modelId: string; refine: string };
  rows: BeforeAfterRow[];
  meanBefore: number;
  meanAfter: number;
  /** photo | reference | before | after, one row per image (PNG). */
  montage?: string;
}

/** The training data of a pair, stored in its manifests by the studio after the export. */
export interface TrainedPairInfo {
  pairId: string;
  project: string;
  images: number;
  date: string;
  phase: TrainingPhase;
  epochs: number;
  /** The exported epoch's validation SAD (the trainer's /1000 units): the lowest of the run, when validation ran. */
  validationSad?: number;
  /** The exported epoch (the one with the lowest validation SAD). */
  epoch?: number;
}
