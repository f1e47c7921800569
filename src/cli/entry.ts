// The built command line (out/main/cli.js): bin/shm-studio.mjs runs it when it is newer than the sources.
import { main } from './main';

process.exitCode = await main(process.argv.slice(2));
