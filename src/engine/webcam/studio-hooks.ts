import path from 'node:path';
import { isExecutionProvider } from '../../shared/vocabulary';
import type { ProviderSetting } from '../inference/service';
import type { Studio } from '../studio';
import type { SnapshotSink } from './session';
import { snapshotDirFor, writeSnapshotFiles } from './snapshot';

type Dispatcher = Pick<Studio, 'dispatch'>;

/** The execution provider setting (`settings.get`), read when a camera stream starts. */
export async function studioProvider(studio: Dispatcher): Promise<ProviderSetting> {
  const settings = await studio.dispatch('settings.get', {});
  const value = settings.ok ? (settings.value as { executionProvider?: unknown }).executionProvider : undefined;
  return isExecutionProvider(value) ? value : 'auto';
}

/**
 * Saves a snapshot into the studio's open project through the public API: the PNGs go beside the
 * project folder, then `images.import` adds the frame. The matte is written next to it.
 */
export function studioSnapshotSink(studio: Dispatcher): SnapshotSink {
  return async (shot) => {
    const info = await studio.dispatch('app.info', {});
    const project = info.ok ? (info.value as { project: { path: string; name: string } | null }).project : null;
    if (!project) throw new Error('Open a project in the studio first: snapshots are saved into the open project.');
    const files = await writeSnapshotFiles(snapshotDirFor(project.path), shot);
    const imported = await studio.dispatch('images.import', { paths: [files.image] });
    if (!imported.ok) throw new Error(`${imported.error.code}: ${imported.error.message}`);
    return `Snapshot added to ${project.name}; its matte is saved beside it as ${path.basename(files.matte)}.`;
  };
}
