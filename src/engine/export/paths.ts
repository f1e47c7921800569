import fs from 'node:fs';
import path from 'node:path';
import type { CollisionPolicy } from '../../shared/vocabulary';
import { isSystemPath, realPathOrPlanned } from '../project/special-files';

export type { CollisionPolicy };

export class ExportError extends Error {
  readonly code:
    | 'OUTPUT_INSIDE_SOURCE'
    | 'OUTPUT_ON_ORIGINAL'
    | 'OUTPUT_MISSING'
    | 'OUTPUT_READ_ONLY'
    | 'OUTPUT_NOT_FOLDER'
    | 'OUTPUT_CONFLICT'
    | 'OUTPUT_SYMLINK';
  constructor(code: ExportError['code'], message: string) {
    super(message);
    this.name = 'ExportError';
    this.code = code;
  }
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The folder an image was imported from: its source path minus its relative path. */
export function sourceRoot(sourcePath: string, relPath: string): string {
  const depth = relPath.split('/').length;
  let root = sourcePath;
  for (let i = 0; i < depth; i++) root = path.dirname(root);
  return root;
}

/** An output folder as the person named it: `label` ('--out', '--alpha-dir', 'Output folder') is used in messages. */
export interface OutputFolder {
  label: string;
  dir: string;
}

/**
 * The one rule for every output folder (studio export, the CLI's --out and --alpha-dir, trimap and
 * alpha folders), checked on real paths before anything is created: never a system folder, never
 * inside or equal to a folder of originals, never two outputs sharing one folder. With `create`
 * the folders are made only once all of them passed; then each must be a writable folder.
 * Returns the real paths, in order.
 */
export function checkOutputFolders(folders: OutputFolder[], sources: { sourcePath: string; relPath: string }[], options: { create?: boolean } = {}): string[] {
  const planned = folders.map((f) => realPathOrPlanned(f.dir));
  const roots = [...new Set(sources.map((s) => realPathOrPlanned(sourceRoot(s.sourcePath, s.relPath))))];
  folders.forEach((f, i) => {
    if (isSystemPath(planned[i])) throw new ExportError('OUTPUT_READ_ONLY', `${f.label} ${f.dir} is in a system folder (/proc, /sys, /dev); choose another folder`);
    for (const root of roots) {
      if (isInside(planned[i], root)) throw new ExportError('OUTPUT_INSIDE_SOURCE', `${f.label} ${f.dir} is inside ${root}, a folder of originals; choose another folder`);
    }
    const twin = planned.findIndex((p, j) => j < i && p === planned[i]);
    if (twin >= 0) {
      throw new ExportError('OUTPUT_CONFLICT', `${f.label} and ${folders[twin].label} are the same folder (${planned[i]}): one output would replace the other; choose another folder`);
    }
  });
  if (options.create) {
    for (const f of folders) {
      try {
        fs.mkdirSync(f.dir, { recursive: true });
      } catch (err) {
        throw new ExportError('OUTPUT_READ_ONLY', `Cannot create ${f.label} ${f.dir}: ${(err as Error).message}`);
      }
    }
  }
  return folders.map((f) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(f.dir);
    } catch {
      throw new ExportError('OUTPUT_MISSING', `${f.label} ${f.dir} does not exist`);
    }
    if (!st.isDirectory()) throw new ExportError('OUTPUT_NOT_FOLDER', `${f.label} ${f.dir} is not a folder`);
    try {
      fs.accessSync(f.dir, fs.constants.W_OK);
    } catch (err) {
      throw new ExportError('OUTPUT_READ_ONLY', `${f.label} ${f.dir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'EACCES'})`);
    }
    return fs.realpathSync(f.dir);
  });
}

/** One existing output folder held to the rule of checkOutputFolders; returns its real path. */
export function checkOutputDir(outDir: string, sources: { sourcePath: string; relPath: string }[]): string {
  return checkOutputFolders([{ label: 'Output folder', dir: outDir }], sources)[0];
}

/**
 * Where a file of an export may be written: its folder (made first) must really lie inside its
 * output folder `root`, so a symbolic link planted inside the output can never lead a write
 * elsewhere (onto the originals).
 */
export function checkWriteTarget(file: string, root: string): void {
  const real = realPathOrPlanned(path.dirname(file));
  if (!isInside(real, realPathOrPlanned(root))) {
    throw new ExportError('OUTPUT_SYMLINK', `${file} would be written through a symbolic link to ${real}, outside the output folder ${root}; remove the link`);
  }
}

/** `nested/b.jpg` → `nested/b<suffix>.png`: the source's folders mirrored, the extension replaced. */
export function mirroredName(relPath: string, suffix = '', ext = '.png'): string {
  const parsed = path.posix.parse(relPath);
  return path.posix.join(parsed.dir, `${parsed.name}${suffix}${ext}`);
}

/** A flat name for dataset layouts: folders joined with '__' so different folders cannot collide. */
export function flatStem(relPath: string): string {
  const parsed = path.posix.parse(relPath);
  return [...parsed.dir.split('/').filter(Boolean), parsed.name].join('__');
}

/**
 * Where to write `file` under the collision policy: the same path (overwrite), undefined (skip an
 * existing file), or the first free `name-1.png`, `name-2.png`… (suffix). `taken` holds paths
 * already claimed in this export, so two images mapping to one name do not overwrite each other.
 * A path for which `isOwn` holds (it already has exactly this image's output) counts as free.
 */
export function resolveCollision(file: string, policy: CollisionPolicy, taken: Set<string> = new Set(), isOwn?: (file: string) => boolean): string | undefined {
  const exists = (p: string) => taken.has(p) || (fs.existsSync(p) && !isOwn?.(p));
  if (!exists(file)) return file;
  if (policy === 'overwrite') return taken.has(file) ? resolveCollision(file, 'suffix', taken, isOwn) : file;
  if (policy === 'skip') return undefined;
  const { dir, name, ext } = path.parse(file);
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, `${name}-${n}${ext}`);
    if (!exists(candidate)) return candidate;
  }
}
