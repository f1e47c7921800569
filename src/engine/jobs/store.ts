import type Database from 'better-sqlite3';
import type { ItemResult, JobItemRecord, JobRecord, JobState } from './types';

interface JobRow {
  id: number;
  kind: string;
  params_json: string;
  state: JobState;
  reason: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

interface ItemRow {
  job_id: number;
  image_id: number;
  seq: number;
  state: JobState;
  error: string | null;
  ms: number | null;
  provider: string | null;
  output: string | null;
}

const now = () => new Date().toISOString();

function toItem(r: ItemRow): JobItemRecord {
  const item: JobItemRecord = { jobId: r.job_id, imageId: r.image_id, seq: r.seq, state: r.state };
  if (r.error !== null) item.error = r.error;
  if (r.ms !== null) item.ms = r.ms;
  if (r.provider !== null) item.provider = r.provider;
  if (r.output !== null) item.output = r.output;
  return item;
}

/** Jobs and their per-image items as rows of the project database; every change is one transaction. */
export class JobStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  create(kind: string, params: unknown, imageIds: number[]): number {
    return this.db.transaction(() => {
      const { id } = this.db
        .prepare<[string, string, string], { id: number }>(`INSERT INTO jobs (kind, params_json, state, created_at) VALUES (?, ?, 'queued', ?) RETURNING id`)
        .get(kind, JSON.stringify(params ?? null), now()) as { id: number };
      const insert = this.db.prepare(`INSERT OR IGNORE INTO job_items (job_id, image_id, seq, state) VALUES (?, ?, ?, 'queued')`);
      imageIds.forEach((imageId, seq) => insert.run(id, imageId, seq));
      return id;
    }).immediate();
  }

  get(jobId: number): JobRecord | undefined {
    const row = this.db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE id = ?').get(jobId);
    return row ? this.toRecord(row) : undefined;
  }

  list(filter: { state?: JobState[] } = {}): JobRecord[] {
    const states = filter.state;
    const where = states ? `WHERE state IN (${states.map(() => '?').join(',') || "''"})` : '';
    return this.db.prepare<string[], JobRow>(`SELECT * FROM jobs ${where} ORDER BY id`).all(...(states ?? [])).map((r) => this.toRecord(r));
  }

  /** Jobs a restart should offer to resume: interrupted while running, never started, or stopped by a fatal error. */
  resumable(): JobRecord[] {
    return this.list({ state: ['queued', 'running', 'failed'] }).filter((j) => j.total - j.done - j.failed - j.cancelled > 0);
  }

  items(jobId: number, states?: JobState[]): JobItemRecord[] {
    const where = states ? `AND state IN (${states.map(() => '?').join(',') || "''"})` : '';
    return this.db
      .prepare<(number | string)[], ItemRow>(`SELECT * FROM job_items WHERE job_id = ? ${where} ORDER BY seq`)
      .all(jobId, ...(states ?? []))
      .map(toItem);
  }

  counts(jobId: number): { total: number; done: number; failed: number; cancelled: number; queued: number; running: number } {
    const rows = this.db.prepare<[number], { state: JobState; n: number }>('SELECT state, count(*) AS n FROM job_items WHERE job_id = ? GROUP BY state').all(jobId);
    const c = { total: 0, done: 0, failed: 0, cancelled: 0, queued: 0, running: 0 };
    for (const r of rows) {
      c[r.state] = r.n;
      c.total += r.n;
    }
    return c;
  }

  /** Starts (or restarts) a job: items left 'running' by a killed process go back to the queue; returns their image ids. */
  begin(jobId: number): number[] {
    return this.db.transaction(() => {
      const interrupted = this.db
        .prepare<[number], { image_id: number }>(`UPDATE job_items SET state = 'queued' WHERE job_id = ? AND state = 'running' RETURNING image_id`)
        .all(jobId)
        .map((r) => r.image_id);
      this.db.prepare(`UPDATE jobs SET state = 'running', reason = NULL, finished_at = NULL, started_at = coalesce(started_at, ?) WHERE id = ?`).run(now(), jobId);
      return interrupted;
    }).immediate();
  }

  itemRunning(jobId: number, imageId: number): void {
    this.db.prepare(`UPDATE job_items SET state = 'running' WHERE job_id = ? AND image_id = ?`).run(jobId, imageId);
  }

  itemDone(jobId: number, imageId: number, ms: number, result: ItemResult): void {
    this.db
      .prepare(`UPDATE job_items SET state = 'done', error = NULL, ms = ?, provider = ?, output = ? WHERE job_id = ? AND image_id = ?`)
      .run(ms, result.provider ?? null, result.output ?? null, jobId, imageId);
  }

  itemFailed(jobId: number, imageId: number, ms: number, error: string): void {
    this.db.prepare(`UPDATE job_items SET state = 'failed', error = ?, ms = ? WHERE job_id = ? AND image_id = ?`).run(error, ms, jobId, imageId);
  }

  /** Puts an item back in the queue (interrupted by cancel or a fatal error before it finished). */
  itemRequeue(jobId: number, imageId: number): void {
    this.db.prepare(`UPDATE job_items SET state = 'queued' WHERE job_id = ? AND image_id = ?`).run(jobId, imageId);
  }

  finish(jobId: number, state: Exclude<JobState, 'queued' | 'running'>, reason?: string): void {
    this.db.transaction(() => {
      if (state === 'cancelled') this.db.prepare(`UPDATE job_items SET state = 'cancelled' WHERE job_id = ? AND state IN ('queued', 'running')`).run(jobId);
      this.db.prepare(`UPDATE jobs SET state = ?, reason = ?, finished_at = ? WHERE id = ?`).run(state, reason ?? null, now(), jobId);
    }).immediate();
  }

  private toRecord(row: JobRow): JobRecord {
    const c = this.counts(row.id);
    const rec: JobRecord = {
      id: row.id,
      kind: row.kind,
      params: JSON.parse(row.params_json) as unknown,
      state: row.state,
      createdAt: row.created_at,
      total: c.total,
      done: c.done,
      failed: c.failed,
      cancelled: c.cancelled,
    };
    if (row.reason !== null) rec.reason = row.reason;
    if (row.started_at !== null) rec.startedAt = row.started_at;
    if (row.finished_at !== null) rec.finishedAt = row.finished_at;
    return rec;
  }
}
