import { createStudio, type Studio, type StudioOptions } from '../studio';
import type { FromEngine, ToEngine } from './protocol';

/** A message endpoint: Electron's `process.parentPort`, or a Node child's IPC channel. */
export interface ParentEndpoint {
  post(message: FromEngine): void;
  onMessage(listener: (message: ToEngine) => void): void;
}

/** Runs the studio engine behind a parent endpoint until the parent asks it to shut down. */
export function serveEngine(endpoint: ParentEndpoint, options: Omit<StudioOptions, 'emit'>, onShutdown: () => void): Studio {
  const studio = createStudio({
    ...options,
    emit: (event, payload) => endpoint.post({ type: 'event', event, payload }),
  });
  endpoint.onMessage((message) => {
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'call' && Number.isSafeInteger(message.id)) {
      void studio.dispatch(message.method, message.params).then((outcome) => endpoint.post({ type: 'result', id: message.id, outcome }));
    } else if (message.type === 'media' && Number.isSafeInteger(message.id)) {
      studio.resolveMedia(String(message.ref)).then(
        (media) => endpoint.post({ type: 'media', id: message.id, media }),
        () => endpoint.post({ type: 'media', id: message.id, media: null }),
      );
    } else if (message.type === 'shutdown') {
      void studio.close().finally(onShutdown);
    }
  });
  endpoint.post({ type: 'ready' });
  return studio;
}
