/** Child process for the kill test: a studio that starts a training job and prints each trainer record. */
import path from 'node:path';
import { openHarness, TINY } from './studio-fixture';

const [root, epochs] = process.argv.slice(2);
const h = openHarness(root);
await h.call('project.open', { path: path.join(root, 'project') });
const { jobId } = await h.call<{ jobId: number }>('training.start', { ...TINY, epochs: Number(epochs) });
process.stdout.write(`job ${jobId}\n`);
let seen = 0;
setInterval(() => {
  for (; seen < h.events.length; seen++) {
    const e = h.events[seen];
    const p = e.payload as { jobId?: number; training?: unknown; state?: string };
    if (p.jobId === jobId && p.training) process.stdout.write(`record ${JSON.stringify(p.training)}\n`);
    if (p.jobId === jobId && e.event === 'job.done') process.stdout.write(`done ${p.state}\n`);
  }
}, 20);
