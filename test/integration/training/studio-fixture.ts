/**
 * A real studio (real engine, SQLite, onnxruntime, Python trainer) over a tiny synthetic project,
 * shared by the training tests and their child process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventName, Events } from '../../../src/shared/contract';
import { createStudio, type Studio } from '../../../src/engine/studio';
import { makeComposite, rawRgb } from '../../fixtures/make-fixtures';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Small CPU runs: 64-pixel patches and inputs, batches of 2. */
export const TINY = { phase: 'end_to_end', patchSize: 64, inputSize: 64, batchSize: 2, device: 'cpu' } as const;

export interface Harness {
  studio: Studio;
  events: { event: EventName; payload: unknown }[];
  call<T>(method: string, params?: unknown): Promise<T>;
  /** The first matching event at or after index `from` of `events`. */
  waitFor<E extends EventName>(event: E, pred: (p: Events[E]) => boolean, timeoutMs?: number, from?: number): Promise<Events[E]>;
}

/** A studio whose app data and models folder live under `root` (the models folder starts with the default semantic model). */
export function openHarness(root: string): Harness {
  const models = path.join(root, 'models');
  if (!fs.existsSync(models)) {
    fs.mkdirSync(models, { recursive: true });
    for (const f of ['selfie-general.json', 'selfie-general.onnx']) fs.copyFileSync(path.join(repo, 'models', f), path.join(models, f));
  }
  const events: Harness['events'] = [];
  const studio = createStudio({ appDataDir: path.join(root, 'app'), shell: 'test', modelsDir: models, emit: (event, payload) => events.push({ event, payload }) });
  const call = async <T>(method: string, params: unknown = {}): Promise<T> => {
    const outcome = await studio.dispatch(method, params);
    if (!outcome.ok) throw Object.assign(new Error(`${outcome.error.code}: ${outcome.error.message}`), { code: outcome.error.code });
    return outcome.value as T;
  };
  const waitFor = async <E extends EventName>(event: E, pred: (p: Events[E]) => boolean, timeoutMs = 90_000, from = 0): Promise<Events[E]> => {
    const until = Date.now() + timeoutMs;
    for (let seen = from; Date.now() < until; ) {
      for (; seen < events.length; seen++) {
        const e = events[seen];
        if (e.event === event && pred(e.payload as Events[E])) return e.payload as Events[E];
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no ${event} event matched within ${timeoutMs} ms`);
  };
  return { studio, events, call, waitFor };
}

/** Creates `<root>/project` from `count` synthetic portraits and refines each (the images a training takes by default). */
export async function makeRefinedProject(h: Harness, root: string, count: number): Promise<string> {
  const photos = path.join(root, 'photos');
  fs.mkdirSync(photos, { recursive: true });
  for (let i = 0; i < count; i++) await rawRgb(makeComposite(96, 80, 3 + i)).png().toFile(path.join(photos, `person${i}.png`));
  const project = path.join(root, 'project');
  await h.call('project.create', { path: project });
  const { jobId } = await h.call<{ jobId: number }>('images.import', { paths: [photos] });
  await h.waitFor('job.done', (p) => p.jobId === jobId);
  await h.call('settings.set', { refineMethod: 'guided' });
  for (const image of (await h.call<{ images: { id: number }[] }>('images.list')).images) {
    const refine = await h.call<{ jobId: number }>('image.refine', { imageId: image.id });
    await h.waitFor('job.done', (p) => p.jobId === refine.jobId);
  }
  return project;
}
