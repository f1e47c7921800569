import type { FolderListing } from '../../../shared/contract';
import type { StudioClient } from '../../../shared/client';
import { plainError } from './messages';

/** The folder browser's state: the folder shown, and what went wrong opening another. */
export class FolderBrowser {
  listing = $state<FolderListing | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);

  /** Only the newest request's answer is shown: an older one that arrives late is dropped. */
  private latest = 0;

  constructor(private readonly api: StudioClient) {}

  /**
   * Shows a folder (none: the home folder); a folder that cannot be shown leaves the current one
   * and says why. Answers whether this request's answer was shown (a newer request wins).
   */
  async go(path?: string): Promise<boolean> {
    const request = ++this.latest;
    this.loading = true;
    try {
      const listing = await this.api.call('files.list', path ? { path } : {});
      if (request !== this.latest) return false;
      this.listing = listing;
      this.error = null;
    } catch (err) {
      if (request !== this.latest) return false;
      this.error = plainError(err);
      if (!this.listing && path) {
        const message = this.error;
        await this.go();
        this.error = message;
      }
    } finally {
      if (request === this.latest) this.loading = false;
    }
    return true;
  }

  /** The full path of an entry of the folder shown. */
  child(name: string): string {
    const base = this.listing?.path ?? '';
    const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
    return base.endsWith(sep) ? base + name : base + sep + name;
  }
}

export type NativeFolderPicker = (request: { title: string; start?: string }) => Promise<string | null>;

/** The desktop's folder dialog, where the page runs in the Electron app (the preload's bridge); null in a browser. */
export function nativeFolderPicker(): NativeFolderPicker | null {
  const bridge = (globalThis as { shm?: { pickFolder?: NativeFolderPicker } }).shm;
  return bridge?.pickFolder ? (request) => bridge.pickFolder!(request) : null;
}
