import { session } from 'electron';
import { contentSecurityPolicy } from '../shared/csp';
import { MEDIA_SCHEME } from '../shared/ipc-channels';

/**
 * Session-wide rules: the camera (video only) is the one permission the studio grants, and every
 * response carries the strict CSP (the page also has it as a meta tag, for file://).
 */
export function setupSessionSecurity(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(permission === 'media' && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video'));
  });
  ses.setPermissionCheckHandler((_contents, permission) => permission === 'media');
  const csp = contentSecurityPolicy({ mediaScheme: MEDIA_SCHEME });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}
