import { z } from 'zod';
import { type CallOutcome, type MethodName, type Result, isMethodName, methods } from '../../shared/contract';
import { toApiError } from './to-api-error';

export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]>;
export type Handlers = { [M in MethodName]: (params: ParsedParams<M>) => Promise<Result<M>> | Result<M> };
export type Dispatch = (method: unknown, params: unknown) => Promise<CallOutcome>;

/**
 * The single entry for every call from every transport: checks the method name and validates the
 * parameters against the contract before a handler runs, and turns every failure into a typed
 * error value. It never throws.
 */
export function createDispatcher(handlers: Handlers, onInternalError?: (err: unknown) => void): Dispatch {
  return async (method, params) => {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method).slice(0, 80)}` } };
    }
    const parsed = methods[method].safeParse(params ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'BAD_REQUEST',
          message: `Invalid parameters for ${method}: ${z.prettifyError(parsed.error)}`,
          details: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
        },
      };
    }
    try {
      const handler = handlers[method] as (p: unknown) => Promise<unknown> | unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      const error = toApiError(err);
      if (error.code === 'INTERNAL') onInternalError?.(err);
      return { ok: false, error };
    }
  };
}
