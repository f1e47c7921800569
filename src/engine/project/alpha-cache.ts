import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { writeFileAtomic } from '../imaging/atomic-write';
import { sha256Text } from './hash';

export interface AlphaKey {
  imageId: number;
  /** TrimapHistory.revision(): names the exact trimap the alpha was computed from. */
  trimapRevision: string;
  method: string;
  /** Any JSON-serialisable settings; hashed with sorted keys. */
  settings: unknown;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function settingsHash(settings: unknown): string {
  return sha256Text(stableJson(settings)).slice(0, 16);
}

/** Computed alphas on disk, indexed in the database so nothing is computed twice. */
export class AlphaCache {
  private readonly db: Database.Database;
  private readonly dir: string;

  constructor(
    db: Database.Database,
    dir: string,
    /** Checked before every write (the project is open and its folder still there). */
    private readonly assertWritable: () => void = () => undefined,
  ) {
    this.db = db;
    this.dir = dir;
  }

  private fileFor(key: AlphaKey, hash: string): string {
    return path.join(this.dir, String(key.imageId), `${sha256Text(`${key.trimapRevision}|${key.method}|${hash}`).slice(0, 24)}.png`);
  }

  /** Path of the cached alpha PNG, or undefined; a row whose file vanished is forgotten. */
  get(key: AlphaKey): string | undefined {
    const hash = settingsHash(key.settings);
    const row = this.db
      .prepare<[number, string, string, string], { file: string }>(
        'SELECT file FROM alpha_cache WHERE image_id = ? AND trimap_revision = ? AND method = ? AND settings_hash = ?',
      )
      .get(key.imageId, key.trimapRevision, key.method, hash);
    if (!row) return undefined;
    const file = path.join(this.dir, row.file);
    if (fs.existsSync(file)) return file;
    this.db.prepare('DELETE FROM alpha_cache WHERE image_id = ? AND trimap_revision = ? AND method = ? AND settings_hash = ?').run(key.imageId, key.trimapRevision, key.method, hash);
    return undefined;
  }

  async put(key: AlphaKey, alphaPng: Uint8Array): Promise<string> {
    const hash = settingsHash(key.settings);
    const file = this.fileFor(key, hash);
    this.assertWritable();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, alphaPng);
    this.db
      .prepare(
        `INSERT INTO alpha_cache (image_id, trimap_revision, method, settings_hash, file, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET file = excluded.file, created_at = excluded.created_at`,
      )
      .run(key.imageId, key.trimapRevision, key.method, hash, path.relative(this.dir, file), new Date().toISOString());
    return file;
  }

  /** Drops every cached alpha of an image (files and rows). */
  clear(imageId: number): void {
    this.db.prepare('DELETE FROM alpha_cache WHERE image_id = ?').run(imageId);
    fs.rmSync(path.join(this.dir, String(imageId)), { recursive: true, force: true });
  }
}
