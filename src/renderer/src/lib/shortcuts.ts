/**
 * Every keyboard shortcut of the studio, in one table: the help overlay renders it, and each
 * view's key handler should match against it so the overlay never lies. Keys are written as
 * they are pressed ("Ctrl" means Cmd on a Mac).
 */
export const shortcutViews = ['global', 'library', 'editor', 'compare', 'dialog'] as const;
export type ShortcutView = (typeof shortcutViews)[number];

export const shortcutViewLabels: Record<ShortcutView, string> = {
  global: 'Everywhere',
  library: 'Library',
  editor: 'Trimap editor',
  compare: 'Compare',
  dialog: 'Dialogs',
};

export interface Shortcut {
  /** Alternatives, each a chord written with '+' ("Ctrl+Shift+Z"). */
  keys: string[];
  view: ShortcutView;
  description: string;
}

export const shortcuts: readonly Shortcut[] = [
  { keys: ['?'], view: 'global', description: 'Show or hide this list of shortcuts' },

  { keys: ['Click'], view: 'library', description: 'Select one image' },
  { keys: ['Ctrl+Click'], view: 'library', description: 'Add or remove an image from the selection' },
  { keys: ['Shift+Click'], view: 'library', description: 'Select a range of images' },
  { keys: ['Ctrl+A'], view: 'library', description: 'Select every image shown' },
  { keys: ['Esc'], view: 'library', description: 'Clear the selection' },
  { keys: ['←', '→', '↑', '↓'], view: 'library', description: 'Move between images' },
  { keys: ['Shift+←', 'Shift+→'], view: 'library', description: 'Extend the selection' },
  { keys: ['Space'], view: 'library', description: 'Toggle the focused image in the selection' },
  { keys: ['Enter', 'Double-click'], view: 'library', description: 'Open the image in the trimap editor' },
  { keys: ['Ctrl+E'], view: 'library', description: 'Export…' },
  { keys: ['Ctrl+,'], view: 'library', description: 'Settings…' },

  // The editor's entries: kept here so the overlay lists them; the editor owns their behaviour.
  { keys: ['F'], view: 'editor', description: 'Foreground brush' },
  { keys: ['B'], view: 'editor', description: 'Background brush' },
  { keys: ['U'], view: 'editor', description: 'Unknown brush' },
  { keys: ['E'], view: 'editor', description: 'Eraser (back to the automatic trimap)' },
  { keys: ['K'], view: 'editor', description: 'Keep subject: the next click keeps the person under it, the rest becomes background' },
  { keys: ['[', ']'], view: 'editor', description: 'Smaller / larger brush' },
  { keys: ['Shift+[', 'Shift+]'], view: 'editor', description: 'Softer / harder brush' },
  { keys: ['T'], view: 'editor', description: 'Show or hide the trimap overlay' },
  { keys: ['V', 'Shift+V'], view: 'editor', description: 'Next / previous view mode (trimap, overlay, on black, on white, on a colour, on an image, alpha, onion skin, side by side, split)' },
  { keys: ['P (hold)'], view: 'editor', description: 'Show the original photo while held' },
  { keys: ['Space+Drag'], view: 'editor', description: 'Pan' },
  { keys: ['Wheel'], view: 'editor', description: 'Zoom at the pointer' },
  { keys: ['0'], view: 'editor', description: 'Fit the image to the window' },
  { keys: ['1'], view: 'editor', description: 'Zoom to 100 %' },
  { keys: ['+', '-'], view: 'editor', description: 'Zoom in / out a step' },
  { keys: ['Ctrl+Z'], view: 'editor', description: 'Undo' },
  { keys: ['Ctrl+Shift+Z'], view: 'editor', description: 'Redo' },
  { keys: ['R'], view: 'editor', description: 'Refine now' },
  { keys: ['C'], view: 'editor', description: 'Switch between edit and compare' },
  { keys: ['Esc'], view: 'editor', description: 'Back to the library' },

  { keys: ['C'], view: 'compare', description: 'Back to editing' },
  { keys: ['Wheel', '0', '1', '+', '-'], view: 'compare', description: 'Zoom, as in the editor (every pane follows)' },
  { keys: ['Esc'], view: 'compare', description: 'Back to the library' },

  { keys: ['Esc'], view: 'dialog', description: 'Close the dialog' },
  { keys: ['Tab', 'Shift+Tab'], view: 'dialog', description: 'Next / previous control' },
];

export function shortcutsByView(table: readonly Shortcut[] = shortcuts): { view: ShortcutView; label: string; items: Shortcut[] }[] {
  return shortcutViews
    .map((view) => ({ view, label: shortcutViewLabels[view], items: table.filter((s) => s.view === view) }))
    .filter((group) => group.items.length > 0);
}

/** Whether a key event comes from a place where typing must not trigger shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  // Shortcuts stay live on sliders, checkboxes and colour wells; text fields keep their keys.
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(target.type);
  return false;
}

/** Ctrl on Linux/Windows, Cmd on a Mac. */
export function isPrimaryModifier(event: KeyboardEvent | MouseEvent): boolean {
  return event.ctrlKey || event.metaKey;
}
