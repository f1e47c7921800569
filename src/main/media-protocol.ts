import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { MEDIA_SCHEME } from '../shared/ipc-channels';
import type { EngineClient } from './engine-client';
import { decodePathPart } from '../shared/media-path';

/** Must run before `app` is ready. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/**
 * Serves `shm-media://media/<kind>/<id>`: the engine maps the reference to a file inside the open
 * project (or its cache); anything else is a 404. The page never sees a file path.
 */
export function setupMediaProtocol(engine: () => EngineClient): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'media') return new Response('Not found', { status: 404 });
    // A broken percent-encoding is a bad reference, not an error for the main process.
    const ref = decodePathPart(url.pathname.slice(1));
    const media = ref === null ? null : await engine().media(ref);
    if (!media) return new Response('Not found', { status: 404 });
    const file = await net.fetch(pathToFileURL(media.file).toString());
    return new Response(file.body, { status: file.status, headers: { 'Content-Type': media.mime } });
  });
}
