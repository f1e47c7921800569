/**
 * Child process for the export kill test: runs (or resumes) one export job of a project into
 * `out` (cut-outs, alpha/ and trimap/ side folders, suffix on collision) and reports as it goes. No
 * refinement and no colour estimation: the kill test is about the writing, so images go fast.
 */
import path from 'node:path';
import { openProject } from '../../src/engine/project';
import { JobManager, JobStore } from '../../src/engine/jobs';
import { exportJobHandler } from '../../src/engine/pipeline';
import { cornerDistanceEngine } from '../fixtures/test-engine';

const [dir, out] = process.argv.slice(2);
const project = openProject(dir);
const store = new JobStore(project.db);
const manager = new JobManager({
  store,
  handlers: { export: exportJobHandler(project, cornerDistanceEngine()) },
  concurrency: 2,
  onProgress: (p) => process.stdout.write(`progress ${p.state} ${p.done}\n`),
});
const existing = store.list()[0];
let jobId: number;
if (existing) {
  jobId = existing.id;
  if (store.resumable().some((j) => j.id === jobId)) manager.resume(jobId);
} else {
  const params = { outDir: out, refine: 'none', decontaminate: false, modelId: 'test', collision: 'suffix', alphaDir: path.join(out, 'alpha'), trimapDir: path.join(out, 'trimap') };
  jobId = manager.start('export', params, project.listImages().map((i) => i.id));
}
process.stdout.write(`running ${jobId}\n`);
const job = await manager.finished(jobId);
process.stdout.write(`finished ${job.state} ${job.done} ${job.failed}\n`);
project.close();
