import type { ImageRecord, ImageStatus } from './types';

export interface ImageRow {
  id: number;
  rel_path: string;
  source_path: string;
  sha256: string;
  width: number;
  height: number;
  format: string;
  status: string;
  error: string | null;
  added_at: string;
}

export function toImageRecord(row: ImageRow): ImageRecord {
  const record: ImageRecord = {
    id: row.id,
    relPath: row.rel_path,
    sourcePath: row.source_path,
    width: row.width,
    height: row.height,
    format: row.format,
    status: row.status as ImageStatus,
    addedAt: row.added_at,
  };
  if (row.error !== null) record.error = row.error;
  return record;
}
