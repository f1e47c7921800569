import { UsageError } from './errors';
import type { CliIo } from './io';
import { USAGE } from './usage';

export { USAGE } from './usage';
export type { CliIo } from './io';

/** Runs the command line; returns the exit status. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      // Each command loads its own modules: a matte run starts its model session before the
      // image codecs have loaded (see matteCommand), and help loads neither.
      case 'matte':
        return await (await import('./matte-command')).matteCommand(rest, io);
      case 'eval':
        return await (await import('./eval-command')).evalCommand(rest, io);
      case 'models':
        return await (await import('./models-command')).modelsCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.stderr.write(`shm-studio: ${err instanceof Error ? err.message : String(err)}\n`);
    if (usage) io.stderr.write(`\n${USAGE}`);
    return usage ? 2 : 1;
  }
}
