import type Database from 'better-sqlite3';
import type { ImageStatus } from '../../shared/vocabulary';
import { ProjectError } from './errors';

/**
 * What happens to an image:
 * - `auto-made`: its automatic trimap was made;
 * - `edited`: its trimap moved to a version with the user's edits (an edit, an undo or a redo);
 * - `back-to-auto`: its trimap moved back to the automatic one (undo of the first edit);
 * - `back-to-new`: the same for an image whose automatic trimap was never made;
 * - `refined`: a cut-out for its current trimap exists (computed now, or found in the cache);
 * - `exported`: its files were written by an export;
 * - `failed`: refinement or export failed (with a message).
 */
export const imageEvents = ['auto-made', 'edited', 'back-to-auto', 'back-to-new', 'refined', 'exported', 'failed'] as const;
export type ImageEvent = (typeof imageEvents)[number];

/**
 * The one table of status transitions. A missing entry means "stays as it is": for example an
 * exported image refined again with the same trimap stays exported, and a new automatic trimap
 * does not hide the user's edits.
 */
export const statusTransitions: { readonly [S in ImageStatus]: { readonly [E in ImageEvent]?: ImageStatus } } = {
  new: { 'auto-made': 'auto', edited: 'edited', refined: 'refined', exported: 'exported', failed: 'failed' },
  auto: { edited: 'edited', refined: 'refined', exported: 'exported', failed: 'failed' },
  edited: { edited: 'edited', 'back-to-auto': 'auto', 'back-to-new': 'new', refined: 'refined', exported: 'exported', failed: 'failed' },
  refined: { edited: 'edited', 'back-to-auto': 'auto', 'back-to-new': 'new', exported: 'exported', failed: 'failed' },
  exported: { edited: 'edited', 'back-to-auto': 'auto', 'back-to-new': 'new', failed: 'failed' },
  failed: { 'auto-made': 'auto', edited: 'edited', 'back-to-auto': 'auto', 'back-to-new': 'new', refined: 'refined', exported: 'exported' },
};

export function nextStatus(current: ImageStatus, event: ImageEvent): ImageStatus {
  return statusTransitions[current][event] ?? current;
}

/**
 * The owner of every image's status: the only code that writes `images.status`. Each change is
 * reported once to the listener, after the current synchronous work (and so after the SQLite
 * transaction it ran in), with repeated changes of one image in that work folded into one.
 */
export class ImageStates {
  private listener: ((imageId: number) => void) | undefined;
  private readonly pending = new Set<number>();

  constructor(private readonly db: Database.Database) {}

  /** Called with the id of each image whose status or error changed. */
  onChange(listener: ((imageId: number) => void) | undefined): void {
    this.listener = listener;
  }

  /** Applies `event` to the image; returns its status afterwards. */
  apply(imageId: number, event: ImageEvent, error?: string): ImageStatus {
    const row = this.db.prepare<[number], { status: ImageStatus; error: string | null }>('SELECT status, error FROM images WHERE id = ?').get(imageId);
    if (!row) throw new ProjectError('IMAGE_NOT_FOUND', `No image with id ${imageId} in this project`);
    const status = nextStatus(row.status, event);
    // An error message belongs to the failed state only.
    const message = status === 'failed' ? (event === 'failed' ? (error ?? 'Failed') : row.error) : null;
    if (status !== row.status || message !== row.error) {
      this.db.prepare('UPDATE images SET status = ?, error = ? WHERE id = ?').run(status, message, imageId);
      this.notify(imageId);
    }
    return status;
  }

  private notify(imageId: number): void {
    if (!this.listener) return;
    const first = this.pending.size === 0;
    this.pending.add(imageId);
    if (!first) return;
    queueMicrotask(() => {
      const ids = [...this.pending];
      this.pending.clear();
      for (const id of ids) this.listener?.(id);
    });
  }
}
