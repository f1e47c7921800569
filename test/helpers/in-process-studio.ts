import path from 'node:path';
import type { EventName, Events } from '../../src/shared/contract';
import { createStudio } from '../../src/engine/studio';

/**
 * The real studio engine in the test's own process (no transport): calls that throw on a typed
 * error, every event it emitted, and a wait for a job's end.
 */
export function inProcessStudio(root: string) {
  const events: { event: EventName; payload: unknown }[] = [];
  const studio = createStudio({ appDataDir: path.join(root, 'app'), shell: 'test', emit: (event, payload) => events.push({ event, payload }) });

  async function call<T>(method: string, params: unknown): Promise<T> {
    const outcome = await studio.dispatch(method, params);
    if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
    return outcome.value as T;
  }

  async function jobDone(jobId: number, timeoutMs = 60_000): Promise<Events['job.done']> {
    for (const start = Date.now(); Date.now() - start < timeoutMs; ) {
      const done = events.find((e) => e.event === 'job.done' && (e.payload as Events['job.done']).jobId === jobId);
      if (done) return done.payload as Events['job.done'];
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${jobId} did not end in ${timeoutMs} ms`);
  }

  return { studio, events, call, jobDone };
}
