#!/usr/bin/env node
// The command line runs the TypeScript sources through tsx (a dev dependency inside the repository).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
