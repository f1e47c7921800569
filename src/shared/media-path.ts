/**
 * A percent-encoded path segment decoded, or null when the encoding is broken (`%E0%A4%A`, `%FF`):
 * media references arrive this way in browser mode's /media/… and Electron's shm-media://media/….
 */
export function decodePathPart(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}
