import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeComposite, rawRgb, tempDir, writeGrey } from '../fixtures/make-fixtures';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'bin/shm-studio.mjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Runs the real command line (node bin/shm-studio.mjs), killed after `timeoutMs`. */
export function runCli(args: string[], timeoutMs = 60_000): Promise<CliRun> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 1 << 24, timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; killed?: boolean; signal?: string }) | null;
      resolve({
        code: e ? (typeof e.code === 'number' ? e.code : 1) : 0,
        stdout,
        stderr,
        ms: performance.now() - t0,
        timedOut: e?.signal === 'SIGKILL',
      });
    });
  });
}

/** Originals must come out untouched: sizes, mtimes and sha256 of every file (the fixtures' snapshot). */
export { snapshot } from '../fixtures/make-fixtures';

/** A folder of originals: src/a.png, src/sub/b.png, with matching trimaps in trimaps/. */
export async function originals(prefix = 'shm-adv-files-'): Promise<{ root: string; src: string; trimaps: string }> {
  const root = tempDir(prefix);
  const src = path.join(root, 'src');
  const trimaps = path.join(root, 'trimaps');
  fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
  const a = makeComposite(48, 40, 3);
  const b = makeComposite(40, 48, 4);
  await rawRgb(a).png().toFile(path.join(src, 'a.png'));
  await rawRgb(b).png().toFile(path.join(src, 'sub', 'b.png'));
  await writeGrey(path.join(trimaps, 'a.png'), a.trimap, a.width, a.height);
  await writeGrey(path.join(trimaps, 'sub', 'b.png'), b.trimap, b.width, b.height);
  return { root, src, trimaps };
}
