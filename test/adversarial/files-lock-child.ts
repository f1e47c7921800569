/**
 * Child process for the lock race: for each project folder i (one per line of the list file), waits
 * until `start + i * interval` ms and opens the project; reports `won i` or `lost i CODE` and keeps
 * what it won open until every round is over.
 */
import fs from 'node:fs';
import { openProject, type Project } from '../../src/engine/project';

const [listFile, startText, intervalText] = process.argv.slice(2);
const dirs = fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const start = Number(startText);
const interval = Number(intervalText);
const held: Project[] = [];
for (const [i, dir] of dirs.entries()) {
  while (Date.now() < start + i * interval) {
    // spin: both contenders leave the line at the same millisecond
  }
  try {
    held.push(openProject(dir));
    process.stdout.write(`won ${i}\n`);
  } catch (err) {
    process.stdout.write(`lost ${i} ${(err as { code?: string }).code ?? String(err)}\n`);
  }
}
process.stdout.write('end\n');
await new Promise((r) => setTimeout(r, 300));
for (const p of held) p.close();
