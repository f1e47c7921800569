import type { CallOutcome, EventName } from '../../shared/contract';
import type { MediaFile } from '../studio';

/**
 * Messages between the Electron main process and the engine's utility process (or any parent
 * that hosts the engine in a child process). The parent relays calls; the engine answers each
 * with the same id and pushes events unasked.
 */
export type ToEngine =
  | { type: 'call'; id: number; method: unknown; params: unknown }
  | { type: 'media'; id: number; ref: string }
  | { type: 'shutdown' };

export type FromEngine =
  | { type: 'ready' }
  | { type: 'result'; id: number; outcome: CallOutcome }
  | { type: 'media'; id: number; media: MediaFile | null }
  | { type: 'event'; event: EventName; payload: unknown };
