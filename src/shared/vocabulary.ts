/**
 * The studio's fixed lists, each spelled out once, with no dependencies (the inference worker
 * and the sandboxed preload import them without zod). The contract's schemas, the settings file,
 * the command line's checks and help, and the renderer's menus all derive from these.
 */

/** Execution provider setting: `auto` tries the others in this order. */
export const executionProviders = ['auto', 'cuda', 'webgpu', 'cpu'] as const;
export type ExecutionProviderSetting = (typeof executionProviders)[number];
/** The concrete providers, in the order `auto` tries them. */
export const concreteProviders = executionProviders.filter((p): p is Exclude<ExecutionProviderSetting, 'auto'> => p !== 'auto');
export type ConcreteProvider = (typeof concreteProviders)[number];

export function isExecutionProvider(value: unknown): value is ExecutionProviderSetting {
  return typeof value === 'string' && (executionProviders as readonly string[]).includes(value);
}

/** An image's life in a project; src/engine/project/image-state.ts owns the transitions. */
export const imageStatuses = ['new', 'auto', 'edited', 'refined', 'exported', 'failed'] as const;
export type ImageStatus = (typeof imageStatuses)[number];

/** Export options. */
export const exportLayouts = ['mirror', 'dataset'] as const;
export type ExportLayout = (typeof exportLayouts)[number];
export const collisionPolicies = ['skip', 'overwrite', 'suffix'] as const;
export type CollisionPolicy = (typeof collisionPolicies)[number];

/** "12 s", "3 min 05 s", "1 h 02 min"; a dash for an unknown or endless duration. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** File extensions the folder browser marks as photos (the import reads every file and keeps what decodes). */
export const photoExtensions = ['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.avif', '.gif'] as const;
