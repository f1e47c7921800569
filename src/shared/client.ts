import type { EventName, Events, MethodName, Params, Result, StudioTransport } from './contract';
import { ApiCallError } from './errors';

/** A typed client over any transport: resolves with the value or throws an ApiCallError. */
export interface StudioClient {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  mediaUrl(ref: string): string;
}

export function createClient(transport: StudioTransport): StudioClient {
  return {
    async call(method, params) {
      const outcome = await transport.call(method, params);
      if (!outcome.ok) throw new ApiCallError(outcome.error);
      return outcome.value;
    },
    on: (event, listener) => transport.on(event, listener),
    mediaUrl: (ref) => transport.mediaUrl(ref),
  };
}
