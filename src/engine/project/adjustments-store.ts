import type Database from 'better-sqlite3';
import { neutralAdjustments, outputAdjustments, type OutputAdjustments } from '../../shared/adjustments';

/** Each image's output adjustments, kept in the project database (the user's work, like trimap edits). */
export function readAdjustments(db: Database.Database, imageId: number): OutputAdjustments {
  const row = db.prepare<[number], { json: string }>('SELECT json FROM output_adjustments WHERE image_id = ?').get(imageId);
  if (!row) return { ...neutralAdjustments };
  // Parsed with defaults, so a value stored before a field existed still reads.
  const parsed = outputAdjustments.safeParse(JSON.parse(row.json));
  return parsed.success ? parsed.data : { ...neutralAdjustments };
}

export function writeAdjustments(db: Database.Database, imageId: number, adjustments: OutputAdjustments): void {
  db.prepare(
    `INSERT INTO output_adjustments (image_id, json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(image_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
  ).run(imageId, JSON.stringify(adjustments), new Date().toISOString());
}
