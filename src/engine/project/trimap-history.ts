import fs from 'node:fs';
import path from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { TrimapCursor } from '../../shared/contract';
import { strokeProblem, normaliseTrimap, type BrushStroke } from '../../shared/strokes';
import { writeFileAtomic } from '../imaging/atomic-write';
import { decodeGrey } from '../imaging/decode';
import { encodeGreyPng } from '../imaging/encode';
import { applyEdits, type TrimapEdit } from './apply-edits';
import { ProjectError } from './errors';
import { renderTrimap } from './trimap-render';
import { strokeBudgetProblem } from './stroke-budget';
import type { ImageStates } from './image-state';

/** How many decoded automatic trimaps loadAuto keeps (a 24 MP one is 24 MB). */
const DECODED_AUTO_KEPT = 4;

export { applyEdits, type TrimapEdit };
export type EditAuthor = 'user' | 'auto' | 'import';

export interface TrimapEditInfo {
  version: number;
  kind: TrimapEdit['kind'];
  author: EditAuthor;
  createdAt: string;
}

/** The history's cursor (the alpha cache keys on its revision) and the edits. */
export interface TrimapState extends TrimapCursor {
  edits: TrimapEditInfo[];
}

interface PreparedEdit {
  imageId: number;
  kind: TrimapEdit['kind'];
  author: EditAuthor;
  strokeJson: string | null;
  raster: Buffer | null;
}

interface EditRow {
  id: number;
  version: number;
  kind: 'stroke' | 'raster';
  author: EditAuthor;
  stroke_json: string | null;
  raster: Buffer | null;
  created_at: string;
}

/**
 * The user's trimap work, per image: an append-only list of edits with a persistent cursor.
 * Every change is one SQLite transaction, so a kill at any moment leaves the last committed state.
 */
export class TrimapHistory {
  private readonly db: Database.Database;
  private readonly autoDir: string;
  /** Recently decoded automatic trimaps (shared, read-only: callers compose copies). */
  private readonly decodedAuto = new Map<number, { stamp: string; data: Uint8Array }>();
  /** The last composition over each (kept) automatic trimap: which edits (row ids, in order) it holds. */
  private readonly composed = new WeakMap<Uint8Array, { imageId: number; ids: number[]; data: Uint8Array }>();
  /** Saves waiting for the next group commit (see save). */
  private readonly pending: { row: PreparedEdit; resolve(state: TrimapState): void; reject(err: Error): void }[] = [];

  constructor(
    db: Database.Database,
    autoDir: string,
    private readonly states: ImageStates,
    /** Checked before every write (the project is open and its folder still there). */
    private readonly assertWritable: () => void = () => undefined,
  ) {
    this.db = db;
    this.autoDir = autoDir;
  }

  private size(imageId: number): { width: number; height: number } {
    const row = this.db.prepare<[number], { width: number; height: number }>('SELECT width, height FROM images WHERE id = ?').get(imageId);
    if (!row) throw new ProjectError('IMAGE_NOT_FOUND', `No image with id ${imageId} in this project`);
    return row;
  }

  private cursor(imageId: number): number {
    return this.db.prepare<[number], { version: number }>('SELECT version FROM trimap_cursor WHERE image_id = ?').get(imageId)?.version ?? 0;
  }

  private setCursor(imageId: number, version: number): void {
    this.db
      .prepare('INSERT INTO trimap_cursor (image_id, version) VALUES (?, ?) ON CONFLICT(image_id) DO UPDATE SET version = excluded.version')
      .run(imageId, version);
    // Any change of the trimap means the alpha must be refined again.
    const hasAuto = version === 0 && this.db.prepare('SELECT 1 FROM auto_trimaps WHERE image_id = ?').get(imageId) !== undefined;
    this.states.apply(imageId, version > 0 ? 'edited' : hasAuto ? 'back-to-auto' : 'back-to-new');
  }

  state(imageId: number): TrimapState {
    this.size(imageId);
    const version = this.cursor(imageId);
    const edits = this.db
      .prepare<[number], { version: number; kind: 'stroke' | 'raster'; author: EditAuthor; created_at: string }>(
        'SELECT version, kind, author, created_at FROM trimap_edits WHERE image_id = ? ORDER BY version',
      )
      .all(imageId)
      .map((r) => ({ version: r.version, kind: r.kind, author: r.author, createdAt: r.created_at }));
    const latest = edits.length ? edits[edits.length - 1].version : 0;
    return { imageId, version, latest, canUndo: version > 0, canRedo: version < latest, revision: this.revision(imageId), edits };
  }

  /** Saves an edit after the cursor; a redo tail beyond the cursor is dropped. */
  add(imageId: number, edit: TrimapEdit, author: EditAuthor = 'user'): TrimapState {
    this.assertWritable();
    const row = this.prepareEdit(imageId, edit, author);
    this.db.transaction(() => this.insertEdit(row)).immediate();
    return this.state(imageId);
  }

  /**
   * Saves an edit like add, but edits that arrive together (a burst of strokes) share one
   * transaction and so one fsync: checked at once, committed on the next turn of the event loop,
   * resolved only once committed (with the image's state after the whole group).
   */
  save(imageId: number, edit: TrimapEdit, author: EditAuthor = 'user'): Promise<TrimapState> {
    try {
      this.assertWritable();
      const row = this.prepareEdit(imageId, edit, author);
      return new Promise((resolve, reject) => {
        this.pending.push({ row, resolve, reject });
        if (this.pending.length === 1) setImmediate(() => this.flush());
      });
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private flush(): void {
    const group = this.pending.splice(0);
    const failures = new Map<number, Error>();
    try {
      this.assertWritable();
      this.db.transaction(() => {
        group.forEach((p, i) => {
          try {
            // A savepoint each: one failing edit (its image deleted meanwhile) leaves the others.
            this.db.transaction(() => this.insertEdit(p.row))();
          } catch (err) {
            failures.set(i, err instanceof Error ? err : new Error(String(err)));
          }
        });
      }).immediate();
    } catch (err) {
      for (const p of group) p.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const states = new Map<number, TrimapState>();
    group.forEach((p, i) => {
      const failure = failures.get(i);
      if (failure) return p.reject(failure);
      let state = states.get(p.row.imageId);
      if (!state) {
        state = this.state(p.row.imageId);
        states.set(p.row.imageId, state);
      }
      p.resolve(state);
    });
  }

  /** Checks an edit against the image (size, stroke validity and budget) and encodes it for its row. */
  private prepareEdit(imageId: number, edit: TrimapEdit, author: EditAuthor): PreparedEdit {
    const { width, height } = this.size(imageId);
    if (edit.kind === 'stroke') {
      const problem = strokeProblem(edit.stroke) ?? strokeBudgetProblem(edit.stroke, width, height);
      if (problem) throw new ProjectError('BAD_TRIMAP', `Invalid stroke: ${problem}`);
      const strokeJson = JSON.stringify({ tool: edit.stroke.tool, radius: edit.stroke.radius, hardness: edit.stroke.hardness, points: edit.stroke.points });
      return { imageId, kind: 'stroke', author, strokeJson, raster: null };
    }
    if (edit.raster.length !== width * height) {
      throw new ProjectError('BAD_TRIMAP', `Trimap has ${edit.raster.length} pixels; the image is ${width}×${height}`);
    }
    return { imageId, kind: 'raster', author, strokeJson: null, raster: deflateSync(normaliseTrimap(edit.raster)) };
  }

  /** Appends the edit after the cursor (dropping a redo tail) and moves the cursor; call inside a transaction. */
  private insertEdit(row: PreparedEdit): void {
    const at = this.cursor(row.imageId);
    this.db.prepare('DELETE FROM trimap_edits WHERE image_id = ? AND version > ?').run(row.imageId, at);
    this.db
      .prepare('INSERT INTO trimap_edits (image_id, version, kind, author, stroke_json, raster, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.imageId, at + 1, row.kind, row.author, row.strokeJson, row.raster, new Date().toISOString());
    this.setCursor(row.imageId, at + 1);
  }

  undo(imageId: number): TrimapState {
    return this.step(imageId, -1);
  }

  redo(imageId: number): TrimapState {
    return this.step(imageId, 1);
  }

  /** Moves the cursor one saved version back or forward, if there is one. */
  private step(imageId: number, by: -1 | 1): TrimapState {
    this.assertWritable();
    this.size(imageId);
    this.db.transaction(() => {
      const to = this.cursor(imageId) + by;
      const exists = to === 0 || this.db.prepare('SELECT 1 FROM trimap_edits WHERE image_id = ? AND version = ?').get(imageId, to) !== undefined;
      if (to >= 0 && exists) this.setCursor(imageId, to);
    }).immediate();
    return this.state(imageId);
  }

  /** Edits 1..upTo (default: the cursor), oldest first. */
  edits(imageId: number, upTo?: number, after = 0): TrimapEdit[] {
    const limit = upTo ?? this.cursor(imageId);
    return this.db
      .prepare<[number, number, number], EditRow>('SELECT * FROM trimap_edits WHERE image_id = ? AND version > ? AND version <= ? ORDER BY version')
      .all(imageId, after, limit)
      .map((row): TrimapEdit =>
        row.kind === 'stroke'
          ? { kind: 'stroke', stroke: JSON.parse(row.stroke_json as string) as BrushStroke }
          : { kind: 'raster', raster: new Uint8Array(inflateSync(row.raster as Buffer)) },
      );
  }

  /** The trimap at the cursor (or `upTo`): `auto` with the edits applied. `auto` is not modified. */
  compose(imageId: number, auto: Uint8Array, upTo?: number): Uint8Array {
    const plan = this.composition(imageId, auto, upTo);
    return plan.keep(applyEdits(auto, plan.width, plan.height, plan.edits, plan.start));
  }

  /** compose, with the painting on a worker thread when it is expensive (see renderTrimap): for request handlers. */
  async render(imageId: number, auto: Uint8Array, upTo?: number): Promise<Uint8Array> {
    const plan = this.composition(imageId, auto, upTo);
    return plan.keep(await renderTrimap(auto, plan.width, plan.height, plan.edits, plan.start));
  }

  /**
   * What composing takes. Painting replays every stroke; the last composition over this automatic
   * trimap is kept, so a later render, refinement or export pays only for the edits made since
   * (none: a copy). Edit ids never repeat (AUTOINCREMENT), so equal id prefixes mean equal edits.
   */
  private composition(imageId: number, auto: Uint8Array, upTo?: number) {
    const { width, height } = this.size(imageId);
    if (auto.length !== width * height) throw new ProjectError('BAD_TRIMAP', `Automatic trimap does not match the image size ${width}×${height}`);
    const limit = upTo ?? this.cursor(imageId);
    const ids = this.db
      .prepare<[number, number], { id: number }>('SELECT id FROM trimap_edits WHERE image_id = ? AND version <= ? ORDER BY version')
      .all(imageId, limit)
      .map((r) => r.id);
    const kept = this.composed.get(auto);
    const reusable = kept !== undefined && kept.imageId === imageId && kept.ids.length <= ids.length && kept.ids.every((id, i) => id === ids[i]);
    return {
      width,
      height,
      start: reusable ? kept.data : auto,
      edits: this.edits(imageId, limit, reusable ? kept.ids.length : 0),
      keep: (out: Uint8Array) => {
        this.composed.set(auto, { imageId, ids, data: new Uint8Array(out) });
        return out;
      },
    };
  }

  revision(imageId: number): string {
    const at = this.cursor(imageId);
    const editId = at > 0 ? (this.db.prepare<[number, number], { id: number }>('SELECT id FROM trimap_edits WHERE image_id = ? AND version = ?').get(imageId, at)?.id ?? 0) : 0;
    const auto = this.db.prepare<[number], { model_id: string; created_at: string }>('SELECT model_id, created_at FROM auto_trimaps WHERE image_id = ?').get(imageId);
    return `${auto ? `${auto.model_id}@${auto.created_at}` : 'none'}/e${editId}`;
  }

  autoFile(imageId: number): string {
    return path.join(this.autoDir, `${imageId}.png`);
  }

  /** Stores the automatic trimap (cache: the model can make it again) and records where it came from. */
  async saveAuto(imageId: number, trimap: Uint8Array, info: { modelId: string; provider?: string }): Promise<void> {
    const { width, height } = this.size(imageId);
    if (trimap.length !== width * height) throw new ProjectError('BAD_TRIMAP', `Automatic trimap does not match the image size ${width}×${height}`);
    this.assertWritable();
    fs.mkdirSync(this.autoDir, { recursive: true });
    const stored = normaliseTrimap(trimap);
    await writeFileAtomic(this.autoFile(imageId), await encodeGreyPng(stored, width, height));
    const createdAt = new Date().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO auto_trimaps (image_id, model_id, provider, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(image_id) DO UPDATE SET model_id = excluded.model_id, provider = excluded.provider, created_at = excluded.created_at`,
        )
        .run(imageId, info.modelId, info.provider ?? null, createdAt);
      this.states.apply(imageId, 'auto-made');
    })();
    this.keepDecoded(imageId, `${info.modelId}@${createdAt}`, stored);
  }

  private keepDecoded(imageId: number, stamp: string, data: Uint8Array): void {
    this.decodedAuto.delete(imageId);
    this.decodedAuto.set(imageId, { stamp, data });
    if (this.decodedAuto.size > DECODED_AUTO_KEPT) this.decodedAuto.delete(this.decodedAuto.keys().next().value as number);
  }

  /**
   * The stored automatic trimap, or undefined when it was never made, the cache lost it, or it was
   * made under another model key than `expectedKey` (another model or other trimap settings).
   * The array is shared with later callers: read it, never write it.
   */
  async loadAuto(imageId: number, expectedKey?: string): Promise<Uint8Array | undefined> {
    const { width, height } = this.size(imageId);
    const file = this.autoFile(imageId);
    const row = this.db.prepare<[number], { model_id: string; created_at: string }>('SELECT model_id, created_at FROM auto_trimaps WHERE image_id = ?').get(imageId);
    if (!row || (expectedKey !== undefined && row.model_id !== expectedKey) || !fs.existsSync(file)) return undefined;
    // Opening an image reads its automatic trimap three times (the open, the trimap and the
    // automatic-trimap previews): the last few decoded ones are kept, keyed by when they were made.
    const stamp = `${row.model_id}@${row.created_at}`;
    const hit = this.decodedAuto.get(imageId);
    if (hit?.stamp === stamp) return hit.data;
    try {
      const grey = await decodeGrey(file);
      if (grey.width !== width || grey.height !== height) return undefined;
      this.keepDecoded(imageId, stamp, grey.data);
      return grey.data;
    } catch {
      return undefined;
    }
  }
}

