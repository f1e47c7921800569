import type { CallOutcome, EventName } from '../shared/contract';
import type { ApiError } from '../shared/errors';

/** Largest call message the API socket takes; a bigger one closes the socket with 1009. */
export const MAX_API_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Browser-mode WebSocket frames. Calls carry an id that the result echoes. */
export interface ClientCall {
  id: number;
  method: unknown;
  params: unknown;
}
export type ServerMessage =
  | { type: 'result'; id: number | null; outcome: CallOutcome }
  | { type: 'event'; event: EventName; payload: unknown };

export type ParsedClientMessage = { ok: true; message: ClientCall } | { ok: false; id: number | null; error: ApiError };

/** Checks the frame's envelope; the method and params are checked by the engine's dispatcher. */
export function parseClientMessage(text: string | null): ParsedClientMessage {
  if (text === null) return { ok: false, id: null, error: { code: 'BAD_REQUEST', message: 'Binary frames are not calls' } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: { code: 'BAD_REQUEST', message: 'Message is not valid JSON' } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: null, error: { code: 'BAD_REQUEST', message: 'Message must be a JSON object' } };
  }
  const { id, method, params } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return { ok: false, id: null, error: { code: 'BAD_REQUEST', message: 'Message needs an integer "id"' } };
  }
  return { ok: true, message: { id, method, params } };
}
