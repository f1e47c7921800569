import type Database from 'better-sqlite3';
import { probeImage } from '../imaging/decode';
import { ImageError } from '../imaging/errors';
import { sha256File } from './hash';
import { scanPaths } from './scan';
import { makeThumbnail } from './thumbnails';
import { toImageRecord, type ImageRow } from './rows';
import type { ImportContext, ImportReport, SkipReason } from './types';

export interface ImportTarget {
  db: Database.Database;
  projectDir: string;
  maxPixels: number;
  saveThumbnail(id: number, jpeg: Buffer): Promise<void>;
}

const SKIP_REASON: Record<ImageError['code'], SkipReason> = {
  NOT_AN_IMAGE: 'not-an-image',
  CORRUPT: 'corrupt',
  TOO_LARGE: 'too-large',
  UNREADABLE: 'unreadable',
};

/** Imports by reference: the original stays where it is, untouched; the row records its hash and size. */
export async function importPaths(target: ImportTarget, paths: string[], ctx: ImportContext = {}): Promise<ImportReport> {
  const report: ImportReport = { imported: [], duplicates: [], skipped: [], cancelled: false };
  const counts = () => ({ imported: report.imported.length, duplicates: report.duplicates.length, skipped: report.skipped.length });
  ctx.onProgress?.({ phase: 'scanning', done: 0, total: 0, ...counts() });
  let scan;
  try {
    scan = await scanPaths(paths, [target.projectDir], ctx.signal);
  } catch (err) {
    if (ctx.signal?.aborted) return { ...report, cancelled: true };
    throw err;
  }
  for (const u of scan.unreadable) report.skipped.push({ path: u.path, reason: 'unreadable', message: u.message });

  const byHash = target.db.prepare<[string], { id: number }>('SELECT id FROM images WHERE sha256 = ?');
  const insert = target.db.prepare<[string, string, string, number, number, string, string, string, string]>(
    `INSERT INTO images (rel_path, source_path, sha256, width, height, format, depth, space, added_at, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new') RETURNING *`,
  );
  const total = scan.files.length;
  let handled = 0;
  for (let i = 0; i < total; i++, handled++) {
    const file = scan.files[i];
    ctx.onProgress?.({ phase: 'importing', done: i, total, current: file.path, ...counts() });
    if (ctx.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    try {
      const sha = await sha256File(file.path, ctx.signal);
      const existing = byHash.get(sha);
      if (existing) {
        report.duplicates.push({ path: file.path, existingId: existing.id });
        continue;
      }
      const info = await probeImage(file.path, { maxPixels: target.maxPixels });
      const thumbnail = await makeThumbnail(file.path);
      const row = insert.get(file.relPath, file.path, sha, info.width, info.height, info.format, info.depth, info.space, new Date().toISOString()) as ImageRow;
      report.imported.push(toImageRecord(row));
      // The cache is re-creatable: a failed thumbnail write must not undo the import.
      await target.saveThumbnail(row.id, thumbnail).catch(() => undefined);
    } catch (err) {
      if (ctx.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      if (err instanceof ImageError) {
        report.skipped.push({ path: file.path, reason: SKIP_REASON[err.code], message: err.message });
      } else {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR' || e.code === 'EPERM') {
          report.skipped.push({ path: file.path, reason: 'unreadable', message: e.message });
        } else {
          report.skipped.push({ path: file.path, reason: 'corrupt', message: e.message ?? String(err) });
        }
      }
    }
  }
  ctx.onProgress?.({ phase: 'importing', done: handled, total, ...counts() });
  return report;
}
