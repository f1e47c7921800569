/**
 * A long refinement reports how far it is: the job's progress moves within the one image (the
 * solver's iterations, through the worker, the pipeline and the job runner), not only from 0 to 1.
 * Real studio, real project, real model and solver.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../src/shared/contract';
import { inProcessStudio } from '../../helpers/in-process-studio';
import { makeComposite, rawRgb, tempDir } from '../../fixtures/make-fixtures';

const root = tempDir('shm-refine-progress-');
const { studio, events, call, jobDone } = inProcessStudio(root);
afterAll(() => studio.close());

describe('refinement progress', () => {
  it('a closed-form refinement of a 2 MP photo moves the job between 0 and 1 as the solver works', async () => {
    const photos = path.join(root, 'photos');
    fs.mkdirSync(photos);
    await rawRgb(makeComposite(1700, 1200, 4)).png().toFile(path.join(photos, 'large.png'));
    await call('project.create', { path: path.join(root, 'project') });
    const imported = await call<{ jobId: number }>('images.import', { paths: [photos] });
    await jobDone(imported.jobId);
    const [image] = (await call<{ images: { id: number }[] }>('images.list', {})).images;
    // Foreground inside a wide unknown band, so the solver has real work whatever the model saw.
    await call('trimap.stroke', { imageId: image.id, stroke: { tool: 'unknown', radius: 160, hardness: 1, points: [[300, 300], [1400, 900]] } });
    await call('trimap.stroke', { imageId: image.id, stroke: { tool: 'fg', radius: 60, hardness: 1, points: [[400, 355], [1300, 845]] } });

    const { jobId } = await call<{ jobId: number }>('image.refine', { imageId: image.id, method: 'closed-form' });
    const done = await jobDone(jobId, 120_000);
    expect(done.state).toBe('done');
    const fractions = events
      .filter((e) => e.event === 'job.progress' && (e.payload as JobProgress).jobId === jobId)
      .map((e) => (e.payload as JobProgress).fraction)
      .filter((f): f is number => f !== undefined);
    const within = fractions.filter((f) => f > 0 && f < 1);
    expect(within.length, `fractions seen: ${fractions.join(', ')}`).toBeGreaterThanOrEqual(2);
    // Never backwards.
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
  });
});
