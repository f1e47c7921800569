import { spawnWorker } from '../workers/spawn';
import { WorkerPool } from '../workers/worker-pool';
import { applyEdits, type TrimapEdit } from './apply-edits';
import { ProjectError } from './errors';
import { paintCost } from './stroke-budget';

export interface TrimapRenderRequest {
  id: number;
  auto: Uint8Array;
  start: Uint8Array;
  width: number;
  height: number;
  edits: TrimapEdit[];
}

export type TrimapRenderResponse = { type: 'done'; id: number; trimap: Uint8Array } | { type: 'error'; id: number; message: string };

/** Edits cheaper than this many pixel visits (a few milliseconds) are painted in place: a thread hop would cost more. */
const INLINE_VISITS = 2_000_000;

type RenderPool = WorkerPool<Omit<TrimapRenderRequest, 'id'>, TrimapRenderResponse, Uint8Array>;
let pool: RenderPool | undefined;

/** One thread for the process, started on the first expensive render; idle, it does not keep the process alive. */
function renderPool(): RenderPool {
  pool ??= new WorkerPool<Omit<TrimapRenderRequest, 'id'>, TrimapRenderResponse, Uint8Array>('trimap render', 1, {
    spawn: () => spawnWorker(import.meta.url, 'trimap-worker'),
    request: (task, id): TrimapRenderRequest => ({ ...task, id }),
    read: (msg) => (msg.type === 'done' ? { result: msg.trimap } : { error: new ProjectError('BAD_TRIMAP', msg.message) }),
    failure: (message, cause) => new ProjectError('BAD_TRIMAP', message, { cause }),
  });
  return pool;
}

/**
 * applyEdits off the caller's thread when the painting is expensive (many or large strokes), so a
 * render never holds up the requests behind it; cheap edits are painted in place.
 */
export function renderTrimap(auto: Uint8Array, width: number, height: number, edits: TrimapEdit[], start: Uint8Array = auto): Promise<Uint8Array> {
  let visits = 0;
  for (const e of edits) visits += e.kind === 'stroke' ? paintCost(e.stroke, width, height) : width * height;
  if (visits < INLINE_VISITS) return Promise.resolve(applyEdits(auto, width, height, edits, start));
  return renderPool().run({ auto, start, width, height, edits });
}
