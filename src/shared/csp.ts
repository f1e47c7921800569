/**
 * The renderer's Content-Security-Policy, shared by Electron (response header and meta tag) and
 * the browser-mode server. No remote content, no inline script, no eval. Images may come from
 * blob: (canvas exports) and data: (tiny generated patterns); media from the camera.
 */
export function contentSecurityPolicy(options: { mediaScheme?: string } = {}): string {
  const media = options.mediaScheme ? ` ${options.mediaScheme}:` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' blob: data:${media}`,
    `media-src 'self' blob: mediastream:${media}`,
    `connect-src 'self'${media}`,
    "font-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
