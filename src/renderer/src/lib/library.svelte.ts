import { SvelteSet } from 'svelte/reactivity';
import { imageStatuses, type ImageStatus, type ImageView } from '../../../shared/contract';

/** What the library needs from the studio: the images of the open project. */
export interface ImageSource {
  readonly images: ImageView[];
}

export const statusLabels: Record<ImageStatus, string> = {
  new: 'New',
  auto: 'Auto trimap',
  edited: 'Edited',
  refined: 'Refined',
  exported: 'Exported',
  failed: 'Failed',
};

export interface ClickModifiers {
  /** Ctrl or Cmd: toggle one image. */
  toggle?: boolean;
  /** Shift: range from the anchor. */
  range?: boolean;
}

/**
 * The library's view state: which statuses are shown, which images are selected, which one has
 * the keyboard focus. Filtering is done here (not by images.list) so the chips can show counts for
 * every status while the grid shows a few.
 */
export class LibraryManager {
  filter = $state<ImageStatus[]>([]);
  readonly selected = new SvelteSet<number>();
  /** The image a Shift-click range starts from (the last plain or Ctrl click). */
  anchor = $state<number | null>(null);
  focused = $state<number | null>(null);

  readonly counts = $derived.by(() => {
    const counts = Object.fromEntries(imageStatuses.map((s) => [s, 0])) as Record<ImageStatus, number>;
    for (const image of this.source.images) counts[image.status]++;
    return counts;
  });

  readonly visible = $derived.by(() => (this.filter.length ? this.source.images.filter((i) => this.filter.includes(i.status)) : this.source.images));

  /** Selected images in grid order, limited to those that still exist. */
  readonly selectedImages = $derived.by(() => this.source.images.filter((i) => this.selected.has(i.id)));
  readonly selectedIds = $derived(this.selectedImages.map((i) => i.id));

  constructor(private readonly source: ImageSource) {}

  get total(): number {
    return this.source.images.length;
  }

  isSelected(id: number): boolean {
    return this.selected.has(id);
  }

  toggleFilter(status: ImageStatus): void {
    this.filter = this.filter.includes(status) ? this.filter.filter((s) => s !== status) : [...this.filter, status];
    this.dropHidden();
  }

  clearFilter(): void {
    this.filter = [];
  }

  /** Click semantics of Lightroom's grid: plain replaces, Ctrl toggles, Shift extends from the anchor. */
  click(id: number, mods: ClickModifiers = {}): void {
    this.focused = id;
    if (mods.range && this.anchor !== null) {
      const range = this.rangeIds(this.anchor, id);
      if (!mods.toggle) this.selected.clear();
      for (const rid of range) this.selected.add(rid);
      return;
    }
    if (mods.toggle) {
      if (this.selected.has(id)) this.selected.delete(id);
      else this.selected.add(id);
    } else {
      this.selected.clear();
      this.selected.add(id);
    }
    this.anchor = id;
  }

  selectAll(): void {
    for (const image of this.visible) this.selected.add(image.id);
  }

  clearSelection(): void {
    this.selected.clear();
    this.anchor = null;
  }

  /** Moves the keyboard focus by `delta` tiles; with `extend`, selects the range like Shift-click. */
  move(delta: number, extend = false): number | null {
    const list = this.visible;
    if (!list.length) return null;
    const at = this.focused === null ? -1 : list.findIndex((i) => i.id === this.focused);
    const next = list[Math.max(0, Math.min(list.length - 1, at < 0 ? 0 : at + delta))].id;
    if (extend) {
      this.anchor ??= this.focused ?? next;
      this.click(next, { range: true });
    } else {
      this.focused = next;
    }
    return next;
  }

  /** Forgets selected ids that no longer exist or that the filter hides. */
  dropHidden(): void {
    const shown: Record<number, true> = {};
    for (const image of this.visible) shown[image.id] = true;
    for (const id of [...this.selected]) if (!shown[id]) this.selected.delete(id);
    if (this.anchor !== null && !shown[this.anchor]) this.anchor = null;
    if (this.focused !== null && !shown[this.focused]) this.focused = null;
  }

  private rangeIds(from: number, to: number): number[] {
    const ids = this.visible.map((i) => i.id);
    const a = ids.indexOf(from);
    const b = ids.indexOf(to);
    if (a < 0 || b < 0) return [to];
    return ids.slice(Math.min(a, b), Math.max(a, b) + 1);
  }
}

const libraries = new WeakMap<ImageSource, LibraryManager>();

/**
 * One library state per studio, shared by the grid, the toolbar and the export dialog. It is made
 * under its own effect root: a derived belongs to the effect running when it is created, so a
 * manager first made while the grid rendered had its counts and visible list die with the grid
 * when the editor replaced it (Svelte's `derived_inert`: stale badges, counts and tiles after any
 * visit to the editor).
 */
export function libraryFor(source: ImageSource): LibraryManager {
  let library = libraries.get(source);
  if (!library) {
    let made: LibraryManager | undefined;
    $effect.root(() => {
      made = new LibraryManager(source);
    });
    library = made!;
    libraries.set(source, library);
  }
  return library;
}

interface PathBridge {
  pathForFile?(file: File): string;
}

/**
 * Paths of files and folders dropped on the window. Only Electron can tell them (the preload's
 * `pathForFile`, backed by webUtils.getPathForFile); a browser never gives a page the path of a
 * dropped file, so in browser mode this returns null and the page asks for a typed path instead.
 */
export function droppedPaths(data: DataTransfer | null): string[] | null {
  const bridge = (globalThis as { shm?: PathBridge }).shm;
  if (!bridge?.pathForFile || !data) return null;
  const paths = [...data.files].map((f) => bridge.pathForFile?.(f) ?? '').filter(Boolean);
  return paths;
}

export function canDropPaths(): boolean {
  return Boolean((globalThis as { shm?: PathBridge }).shm?.pathForFile);
}
