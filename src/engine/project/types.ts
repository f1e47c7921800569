import type { ImageFacts } from '../../shared/contract';

export type { ImageStatus } from '../../shared/vocabulary';

export interface ImageRecord extends ImageFacts {
  /** Absolute path of the original; never written to. */
  sourcePath: string;
}

export type SkipReason = 'not-an-image' | 'corrupt' | 'too-large' | 'unreadable';

export interface ImportProgress {
  phase: 'scanning' | 'importing';
  /** Files handled so far, of `total` found by the scan. */
  done: number;
  total: number;
  imported: number;
  duplicates: number;
  skipped: number;
  current?: string;
}

export interface ImportReport {
  imported: ImageRecord[];
  duplicates: { path: string; existingId: number }[];
  skipped: { path: string; reason: SkipReason; message: string }[];
  cancelled: boolean;
}

export interface ImportContext {
  onProgress?(p: ImportProgress): void;
  signal?: AbortSignal;
}
