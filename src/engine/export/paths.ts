import fs from 'node:fs';
import path from 'node:path';

export type CollisionPolicy = 'skip' | 'overwrite' | 'suffix';

export class ExportError extends Error {
  readonly code: 'OUTPUT_INSIDE_SOURCE' | 'OUTPUT_ON_ORIGINAL' | 'OUTPUT_MISSING' | 'OUTPUT_READ_ONLY' | 'OUTPUT_NOT_FOLDER';
  constructor(code: ExportError['code'], message: string) {
    super(message);
    this.name = 'ExportError';
    this.code = code;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realish(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** The folder an image was imported from: its source path minus its relative path. */
export function sourceRoot(sourcePath: string, relPath: string): string {
  const depth = relPath.split('/').length;
  let root = sourcePath;
  for (let i = 0; i < depth; i++) root = path.dirname(root);
  return root;
}

/**
 * The output folder must exist, be a writable folder, and not lie inside (or be) a folder that
 * originals were imported from: exports must never mix with, or land on top of, originals.
 */
export function checkOutputDir(outDir: string, sources: { sourcePath: string; relPath: string }[]): string {
  const out = realish(outDir);
  let st: fs.Stats;
  try {
    st = fs.statSync(out);
  } catch {
    throw new ExportError('OUTPUT_MISSING', `Output folder ${outDir} does not exist`);
  }
  if (!st.isDirectory()) throw new ExportError('OUTPUT_NOT_FOLDER', `Output ${outDir} is not a folder`);
  try {
    fs.accessSync(out, fs.constants.W_OK);
  } catch (err) {
    throw new ExportError('OUTPUT_READ_ONLY', `Output folder ${outDir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'EACCES'})`);
  }
  const roots = new Set(sources.map((s) => realish(sourceRoot(s.sourcePath, s.relPath))));
  for (const root of roots) {
    if (isInside(out, root)) throw new ExportError('OUTPUT_INSIDE_SOURCE', `Output folder ${outDir} is inside ${root}, a folder of originals; choose another folder`);
  }
  return out;
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
 */
export function resolveCollision(file: string, policy: CollisionPolicy, taken: Set<string> = new Set()): string | undefined {
  const exists = (p: string) => taken.has(p) || fs.existsSync(p);
  if (!exists(file)) return file;
  if (policy === 'overwrite') return taken.has(file) ? resolveCollision(file, 'suffix', taken) : file;
  if (policy === 'skip') return undefined;
  const { dir, name, ext } = path.parse(file);
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, `${name}-${n}${ext}`);
    if (!exists(candidate)) return candidate;
  }
}
