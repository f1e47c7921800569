import type Database from 'better-sqlite3';

/**
 * Schema history. Migration i (0-based) takes `user_version` from i to i + 1. Never edit a
 * shipped entry: append a new one, so every older project.db upgrades along the same path.
 */
export const migrations: readonly string[] = [
  // 1: images and project metadata.
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE images (
     id INTEGER PRIMARY KEY,
     rel_path TEXT NOT NULL,
     source_path TEXT NOT NULL,
     sha256 TEXT NOT NULL UNIQUE,
     width INTEGER NOT NULL,
     height INTEGER NOT NULL,
     format TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'new',
     error TEXT,
     added_at TEXT NOT NULL
   );`,
  // 2: trimap edit history with a persistent undo cursor.
  `CREATE TABLE trimap_edits (
     -- AUTOINCREMENT: ids are never reused, so an id names one exact edit sequence even after
     -- an undo drops the redo tail and the version numbers are used again.
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
     version INTEGER NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('stroke', 'raster')),
     author TEXT NOT NULL CHECK (author IN ('user', 'auto', 'import')),
     stroke_json TEXT,
     raster BLOB,
     created_at TEXT NOT NULL,
     UNIQUE (image_id, version)
   );
   CREATE TABLE trimap_cursor (
     image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
     version INTEGER NOT NULL
   );`,
  // 3: batch jobs and their per-image items; image size columns for the source's pixel format.
  `CREATE TABLE jobs (
     id INTEGER PRIMARY KEY,
     kind TEXT NOT NULL,
     params_json TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
     reason TEXT,
     created_at TEXT NOT NULL,
     started_at TEXT,
     finished_at TEXT
   );
   CREATE TABLE job_items (
     job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
     image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
     error TEXT,
     ms REAL,
     provider TEXT,
     output TEXT,
     PRIMARY KEY (job_id, image_id)
   );
   CREATE INDEX job_items_state ON job_items (job_id, state);
   ALTER TABLE images ADD COLUMN depth TEXT NOT NULL DEFAULT 'uchar';
   ALTER TABLE images ADD COLUMN space TEXT NOT NULL DEFAULT 'srgb';`,
  // 4: the on-disk alpha cache index and the automatic trimap's provenance.
  `CREATE TABLE alpha_cache (
     image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
     trimap_revision TEXT NOT NULL,
     method TEXT NOT NULL,
     settings_hash TEXT NOT NULL,
     file TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (image_id, trimap_revision, method, settings_hash)
   );
   CREATE TABLE auto_trimaps (
     image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
     model_id TEXT NOT NULL,
     provider TEXT,
     created_at TEXT NOT NULL
   );`,
  // 5: each image's output adjustments (smooth, feather, contrast, shift edge, decontamination amount).
  `CREATE TABLE output_adjustments (
     image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
     json TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`,
];

export const SCHEMA_VERSION = migrations.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies migrations up to `target`, each in its own transaction with its user_version bump. */
export function migrate(db: Database.Database, target: number = SCHEMA_VERSION): void {
  for (let v = schemaVersion(db); v < target; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
