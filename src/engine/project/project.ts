import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { writeFileAtomic } from '../imaging/atomic-write';
import { DEFAULT_MAX_PIXELS } from '../imaging/limits';
import { ProjectError } from './errors';
import { acquireLock } from './lock';
import { FolderPresence } from './presence';
import { isSystemPath } from './special-files';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations';
import { importPaths } from './import';
import { makeThumbnail } from './thumbnails';
import { toImageRecord, type ImageRow } from './rows';
import { TrimapHistory } from './trimap-history';
import { AlphaCache } from './alpha-cache';
import { type ImageEvent, ImageStates } from './image-state';
import type { ImageRecord, ImageStatus, ImportContext, ImportReport } from './types';

export const PROJECT_DB = 'project.db';
export const PROJECT_LOCK = 'project.lock';

export interface OpenProjectOptions {
  /** Create the folder and the database if they do not exist. */
  create?: boolean;
  /** Name stored at creation; defaults to the folder name. */
  name?: string;
  /** Import pixel limit (width × height after orientation). */
  maxPixels?: number;
}

export class Project {
  readonly dir: string;
  readonly cacheDir: string;
  /** The open database; jobs and other engine modules share this one connection. */
  readonly db: Database.Database;
  readonly trimaps: TrimapHistory;
  /** The owner of image statuses; `states.onChange` hears every change. */
  readonly states: ImageStates;
  readonly alphas: AlphaCache;
  maxPixels: number;
  private readonly releaseLock: () => void;
  private closed = false;
  /** Whether the folder is still where it was opened; every writer checks it (assertWritable). */
  readonly presence: FolderPresence;

  /** Use openProject(). */
  constructor(dir: string, db: Database.Database, releaseLock: () => void, maxPixels: number) {
    this.dir = dir;
    this.cacheDir = path.join(dir, 'cache');
    this.db = db;
    this.releaseLock = releaseLock;
    this.maxPixels = maxPixels;
    this.presence = new FolderPresence(dir, path.join(dir, PROJECT_DB));
    this.states = new ImageStates(db);
    const writable = () => this.assertWritable();
    this.trimaps = new TrimapHistory(db, path.join(this.cacheDir, 'trimaps'), this.states, writable);
    this.alphas = new AlphaCache(db, path.join(this.cacheDir, 'alphas'), writable);
  }

  get name(): string {
    return this.meta('name') ?? path.basename(this.dir);
  }

  set name(value: string) {
    this.setMeta('name', value);
  }

  /** The folder this project was last exported to (the export dialog offers it again). */
  get exportDir(): string | null {
    return this.meta('exportDir') ?? null;
  }

  set exportDir(value: string) {
    this.setMeta('exportDir', value);
  }

  private meta(key: string): string | undefined {
    this.assertOpen();
    return this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  }

  private setMeta(key: string, value: string): void {
    this.assertWritable();
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } finally {
      this.releaseLock();
    }
  }

  listImages(filter: { status?: ImageStatus[] } = {}): ImageRecord[] {
    this.assertOpen();
    const statuses = filter.status;
    if (statuses && statuses.length === 0) return [];
    const where = statuses ? `WHERE status IN (${statuses.map(() => '?').join(',')})` : '';
    const rows = this.db.prepare<string[], ImageRow>(`SELECT * FROM images ${where} ORDER BY rel_path, id`).all(...(statuses ?? []));
    return rows.map(toImageRecord);
  }

  countImages(): number {
    this.assertOpen();
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM images').get()?.n ?? 0;
  }

  getImage(id: number): ImageRecord | undefined {
    this.assertOpen();
    const row = this.db.prepare<[number], ImageRow>('SELECT * FROM images WHERE id = ?').get(id);
    return row ? toImageRecord(row) : undefined;
  }

  /** Like getImage, but a missing id is a typed error. */
  requireImage(id: number): ImageRecord {
    const image = this.getImage(id);
    if (!image) throw new ProjectError('IMAGE_NOT_FOUND', `No image with id ${id} in this project`);
    return image;
  }

  /** Records what happened to an image; its status follows the table in image-state.ts. */
  recordEvent(id: number, event: ImageEvent, error?: string): ImageStatus {
    this.assertWritable();
    return this.states.apply(id, event, error);
  }

  async importPaths(paths: string[], ctx: ImportContext = {}): Promise<ImportReport> {
    this.assertWritable();
    return importPaths(
      { db: this.db, projectDir: this.dir, maxPixels: this.maxPixels, saveThumbnail: (id, jpeg) => this.saveThumbnail(id, jpeg) },
      paths,
      ctx,
    );
  }

  originalFile(id: number): string {
    return this.requireImage(id).sourcePath;
  }

  /** Absolute path of the cached thumbnail, made again from the original if the cache lost it. */
  async thumbnailFile(id: number): Promise<string> {
    const image = this.requireImage(id);
    const file = this.thumbnailPath(id);
    if (!fs.existsSync(file)) await this.saveThumbnail(id, await makeThumbnail(image.sourcePath));
    return file;
  }

  private thumbnailPath(id: number): string {
    return path.join(this.cacheDir, 'thumbs', `${id}.jpg`);
  }

  private async saveThumbnail(id: number, jpeg: Buffer): Promise<void> {
    this.assertWritable();
    const file = this.thumbnailPath(id);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, jpeg);
  }

  assertOpen(): void {
    if (this.closed) throw new ProjectError('PROJECT_CLOSED', `Project ${this.dir} is closed`);
  }

  /** Before any write: open, and its folder not deleted or moved meanwhile. */
  assertWritable(): void {
    this.assertOpen();
    this.presence.check();
  }
}

function looksLikeSqlite(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    const n = fs.readSync(fd, header, 0, 16, 0);
    return n === 16 && header.toString('latin1') === 'SQLite format 3\0';
  } finally {
    fs.closeSync(fd);
  }
}

export function openProject(dir: string, options: OpenProjectOptions = {}): Project {
  const root = path.resolve(dir);
  const dbFile = path.join(root, PROJECT_DB);
  if (isSystemPath(root)) throw new ProjectError('NOT_A_PROJECT', `${root} is in a system folder (/proc, /sys, /dev); choose another folder`);
  if (!fs.existsSync(root)) {
    if (!options.create) throw new ProjectError('PROJECT_NOT_FOUND', `No project folder at ${root}`);
    fs.mkdirSync(root, { recursive: true });
  } else if (!fs.statSync(root).isDirectory()) {
    throw new ProjectError('NOT_A_PROJECT', `${root} is a file, not a project folder`);
  }
  const isNew = !fs.existsSync(dbFile);
  if (isNew && !options.create) throw new ProjectError('NOT_A_PROJECT', `${root} has no ${PROJECT_DB}`);
  if (!isNew && !looksLikeSqlite(dbFile)) throw new ProjectError('NOT_A_PROJECT', `${dbFile} is not an SQLite database`);

  let project: Project | undefined;
  // The lock vanishing while held means the folder was deleted: the project stops taking edits.
  const release = acquireLock(path.join(root, PROJECT_LOCK), () => project?.presence.lost());
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile);
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) {
      throw new ProjectError('SCHEMA_TOO_NEW', `${dbFile} has schema version ${version}; this build reads up to ${SCHEMA_VERSION}. Update SHM Studio.`);
    }
    if (!isNew && version === 0) {
      const tables = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM sqlite_master`).get();
      if (tables && tables.n > 0) throw new ProjectError('NOT_A_PROJECT', `${dbFile} is an SQLite database but not an SHM Studio project`);
    }
    db.pragma('journal_mode = WAL');
    // FULL: a committed trimap edit survives power loss, not only a process kill.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    if (isNew) db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('name', ?)`).run(options.name ?? path.basename(root));
    fs.mkdirSync(path.join(root, 'cache'), { recursive: true });
    project = new Project(root, db, release, options.maxPixels ?? DEFAULT_MAX_PIXELS);
    return project;
  } catch (err) {
    db?.close();
    release();
    throw err;
  }
}
