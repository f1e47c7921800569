import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { TrainingRecord } from '../../shared/training';

/**
 * Runs the script under Python with a watch on its stdin: when the studio goes away (closed,
 * crashed or killed) the pipe closes and the trainer exits at once, so a resumed job never races
 * an orphan writing the same checkpoints. The script then runs as `__main__`, unchanged.
 */
const BOOTSTRAP = [
  'import os, runpy, sys, threading',
  'def _watch():',
  '    sys.stdin.read()',
  '    os._exit(143)',
  'threading.Thread(target=_watch, daemon=True).start()',
  'sys.argv = sys.argv[1:]',
  "runpy.run_path(sys.argv[0], run_name='__main__')",
].join('\n');

export interface ScriptExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  cancelled: boolean;
}

export interface RunScriptOptions {
  /** stdout and stderr are appended here, as they come. */
  logFile: string;
  /** Each JSON line of stdout. */
  onRecord?(record: TrainingRecord): void;
  signal?: AbortSignal;
  cwd?: string;
}

/** Runs `python script args…`; resolves when it exits (an abort stops it: SIGTERM, then SIGKILL after 5 s). */
export function runPythonScript(python: string, script: string, args: string[], options: RunScriptOptions): Promise<ScriptExit> {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(options.logFile, 'a');
    const write = (chunk: string | Buffer) => fs.writeSync(log, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    write(`\n$ ${[python, script, ...args].join(' ')}\n`);
    const child = spawn(python, ['-u', '-c', BOOTSTRAP, script, ...args], {
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
      windowsHide: true,
    });
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      cancelled = true;
      child.stdin?.end();
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      write(d);
      partial += d.toString('utf8');
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          options.onRecord?.(JSON.parse(line) as TrainingRecord);
        } catch {
          // a line that only looks like JSON stays in the log
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => write(d));
    // The pipe to a trainer that exited early is closed; the stdin watch needs nothing written.
    child.stdin.on('error', () => undefined);
    let finished = false;
    const finish = () => {
      if (finished) return false;
      finished = true;
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      fs.closeSync(log);
      return true;
    };
    child.on('error', (err) => {
      if (finish()) reject(err);
    });
    child.on('close', (code, signal) => {
      if (finish()) resolve({ code, signal, cancelled });
    });
  });
}

/** The last `n` lines of a log file ('' when there is none). */
export function tailLines(file: string, n: number): string {
  if (!fs.existsSync(file)) return '';
  const size = fs.statSync(file).size;
  const length = Math.min(size, 512 * 1024);
  const buf = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, length, size - length);
  } finally {
    fs.closeSync(fd);
  }
  const lines = buf.toString('utf8').split('\n');
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-n).join('\n');
}
