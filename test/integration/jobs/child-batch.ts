/** Child process for the kill test: runs a matte job slowly and reports each finished image. */
import { openProject } from '../../../src/engine/project';
import { JobManager, JobStore } from '../../../src/engine/jobs';
import { matteJobHandler } from '../../../src/engine/pipeline';
import { cornerDistanceEngine } from '../../fixtures/test-engine';

const [dir] = process.argv.slice(2);
const project = openProject(dir);
const manager = new JobManager({
  store: new JobStore(project.db),
  handlers: { matte: matteJobHandler(project, cornerDistanceEngine({ delayMs: 150 })) },
  concurrency: 1,
  onProgress: (p) => process.stdout.write(`progress ${p.jobId} ${p.state} ${p.done}\n`),
});
const ids = project.listImages().map((i) => i.id);
const jobId = manager.start('matte', { refine: 'guided', modelId: 'test' }, ids);
process.stdout.write(`job ${jobId}\n`);
await manager.finished(jobId);
process.stdout.write('finished\n');
