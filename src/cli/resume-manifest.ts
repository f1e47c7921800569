import fs from 'node:fs';
import path from 'node:path';
import { mirroredName } from '../engine/export/paths';
import type { Shard } from './shard';

/** The folder, inside --out, that holds one manifest per process of a (possibly split) run. */
export const MANIFEST_DIR = '.shm-studio-manifest';

interface Entry {
  input: string;
  output: string;
}

/**
 * Which inputs a run has finished, in the output folder, so `--resume` skips them. Each process
 * appends to its own file (`all.jsonl`, or `K-of-N.jsonl` for --shard K/N): concurrent shards on
 * a shared folder never write one file, which appending does not make safe on network file
 * systems. A line is written after the image's files are in place (the export renames the main
 * file last), so a listed input is complete; a kill between the rename and the line leaves the
 * output there, and resuming counts an existing output as done too. A torn last line is ignored.
 */
export class ResumeManifest {
  private readonly done = new Map<string, string>();
  private readonly file: string;
  /** Our file ends in a line torn by a kill: the next line starts on a fresh one. */
  private torn = false;

  constructor(private readonly outDir: string, shard: Shard | undefined) {
    const dir = path.join(outDir, MANIFEST_DIR);
    this.file = path.join(dir, shard ? `${shard.index}-of-${shard.count}.jsonl` : 'all.jsonl');
    if (!fs.existsSync(dir)) return;
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith('.jsonl')) continue;
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      if (path.join(dir, name) === this.file && text.length > 0 && !text.endsWith('\n')) this.torn = true;
      for (const line of text.split('\n')) {
        const entry = parseLine(line);
        if (entry) this.done.set(entry.input, entry.output);
      }
    }
  }

  /** Done in an earlier run: listed with its output still there, or its output already written. */
  isDone(relPath: string): boolean {
    const listed = this.done.get(relPath);
    if (listed !== undefined && fs.existsSync(path.join(this.outDir, listed))) return true;
    return fs.existsSync(path.join(this.outDir, mirroredName(relPath)));
  }

  record(relPath: string, output: string): void {
    const line = `${JSON.stringify({ input: relPath, output: path.relative(this.outDir, output) } satisfies Entry)}\n`;
    // Made with the first finished image, so a run that writes nothing leaves nothing behind.
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, this.torn ? `\n${line}` : line);
    this.torn = false;
  }
}

function parseLine(line: string): Entry | undefined {
  if (!line.trim()) return undefined;
  try {
    const v = JSON.parse(line) as Partial<Entry>;
    return typeof v.input === 'string' && typeof v.output === 'string' ? { input: v.input, output: v.output } : undefined;
  } catch {
    return undefined;
  }
}
