import { encodeNotice } from '../../shared/webcam';

/** Camera streams at once, per transport: each one that streams holds a worker, an inference thread and ~45 MB. */
export const MAX_WEBCAM_SESSIONS = 4;

/** What a refused stream is told (also a WebSocket close reason, so under 123 bytes). */
export function tooManyStreamsText(max: number): string {
  return `Too many camera streams are open (${max}): close another webcam window and try again.`;
}

/** The BUSY notice a refused stream receives before its channel is closed. */
export function tooManyStreamsNotice(max: number): ArrayBuffer {
  return encodeNotice({ seq: 0, level: 'error', code: 'BUSY', text: tooManyStreamsText(max) });
}

/**
 * Places for camera streams. A place is released once the stream's engine has shut down, not when
 * its channel closes, so closing and reopening cannot pile up threads.
 */
export class StreamSlots {
  private used = 0;

  constructor(readonly max: number = MAX_WEBCAM_SESSIONS) {}

  /** Takes a place: returns its release (idempotent), or null when every place is taken. */
  take(): (() => void) | null {
    if (this.used >= this.max) return null;
    this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
    };
  }
}
