import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FolderListing } from '../../shared/contract';
import { StudioError } from '../../shared/errors';
import { photoExtensions } from '../../shared/vocabulary';
import type { FeatureHandlers } from './context';

/** A folder of tens of thousands of files lists its first ones and says how many more there are. */
const MAX_ENTRIES = 2000;
const photo: ReadonlySet<string> = new Set(photoExtensions);

/** Lists one folder: what the folder browser shows (browser mode cannot use the system's file dialogs). */
export async function listFolder(given: string | undefined): Promise<FolderListing> {
  const home = os.homedir();
  const dir = path.resolve(given ?? home);
  if (given !== undefined && !path.isAbsolute(given)) throw new StudioError('BAD_REQUEST', `Give a full folder path, not "${given}".`);
  let dirents;
  try {
    dirents = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioError('NOT_FOUND', `There is no folder at ${dir}.`);
    if (code === 'ENOTDIR') throw new StudioError('BAD_REQUEST', `${dir} is a file, not a folder.`);
    if (code === 'EACCES' || code === 'EPERM') throw new StudioError('UNREADABLE', `The folder ${dir} cannot be opened: permission denied.`);
    throw new StudioError('IO_ERROR', `The folder ${dir} cannot be read.`);
  }
  const entries: FolderListing['entries'] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue;
    let isDir = d.isDirectory();
    if (d.isSymbolicLink()) isDir = (await fs.stat(path.join(dir, d.name)).catch(() => null))?.isDirectory() ?? false;
    const kind = isDir ? 'folder' : photo.has(path.extname(d.name).toLowerCase()) ? 'photo' : 'file';
    entries.push({ name: d.name, kind });
  }
  const rank = { folder: 0, photo: 1, file: 2 } as const;
  entries.sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, home, entries: entries.slice(0, MAX_ENTRIES), more: Math.max(0, entries.length - MAX_ENTRIES) };
}

/** The folder browser's listing. */
export function setupFiles(): FeatureHandlers<'files.list'> {
  return {
    'files.list': ({ path: folder }) => listFolder(folder),
  };
}
