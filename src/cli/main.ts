import { UsageError } from './errors';
import { evalCommand } from './eval-command';
import type { CliIo } from './io';
import { matteCommand } from './matte-command';
import { modelsCommand } from './models-command';
import { USAGE } from './usage';

export { USAGE } from './usage';
export type { CliIo } from './io';

/** Runs the command line; returns the exit status. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'matte':
        return await matteCommand(rest, io);
      case 'eval':
        return await evalCommand(rest, io);
      case 'models':
        return await modelsCommand(rest, io);
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
