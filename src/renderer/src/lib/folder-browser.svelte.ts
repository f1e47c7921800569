import type { FolderListing } from '../../../shared/contract';
import type { StudioClient } from '../../../shared/client';
import { plainError } from './messages';

/** The folder browser's state: the folder shown, and what went wrong opening another. */
export class FolderBrowser {
  listing = $state<FolderListing | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);

  constructor(private readonly api: StudioClient) {}

  /** Shows a folder (none: the home folder); a folder that cannot be shown leaves the current one and says why. */
  async go(path?: string): Promise<void> {
    this.loading = true;
    try {
      this.listing = await this.api.call('files.list', path ? { path } : {});
      this.error = null;
    } catch (err) {
      this.error = plainError(err);
      if (!this.listing && path) await this.go();
    } finally {
      this.loading = false;
    }
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
