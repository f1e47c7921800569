import type { Worker } from 'node:worker_threads';
import type { Alpha, RgbImage } from '../../imaging/raster';
import { MattingError } from '../errors';
import type { RemoteTileSolver } from '../alpha/refine';
import type { RefinementMethodId } from '../alpha/methods';
import type { TileRequest, TileResponse } from './pool-protocol';
import { errorFromWorker } from './pool';
import { spawnWorker } from '../../workers/spawn';

interface Pending {
  slot: number;
  resolve(alpha: Alpha): void;
  reject(err: Error): void;
}

/**
 * Helper threads of one matting worker, for the tiles of a large photo: while the worker solves a
 * tile, each helper solves another of the same phase, so one photo uses every core. A helper is a
 * thread of the matting worker's own module, started on first use and kept for the next photo; it
 * holds the process only while it has a tile. Terminating the worker (the pool's cancel) ends them.
 */
export class TileHelpers {
  private readonly threads: (Worker | undefined)[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(count: number) {
    this.threads = new Array<Worker | undefined>(Math.max(0, count)).fill(undefined);
  }

  /** One solver per helper thread. */
  get solvers(): RemoteTileSolver[] {
    return this.threads.map((_, slot) => (method, params, image, unknown, alpha) => this.solve(slot, method, params, image, unknown, alpha));
  }

  private thread(slot: number): Worker {
    const existing = this.threads[slot];
    if (existing) return existing;
    const worker = spawnWorker(import.meta.url, 'matting-worker');
    worker.unref();
    worker.on('message', (msg: TileResponse) => {
      const job = this.pending.get(msg.id);
      if (!job) return;
      this.pending.delete(msg.id);
      if (![...this.pending.values()].some((p) => p.slot === slot)) worker.unref();
      if (msg.type === 'tile-done') job.resolve(msg.alpha);
      else job.reject(errorFromWorker(msg));
    });
    const fail = (err: Error) => {
      if (this.threads[slot] === worker) this.threads[slot] = undefined;
      for (const [id, job] of this.pending) {
        if (job.slot !== slot) continue;
        this.pending.delete(id);
        job.reject(new MattingError('WORKER_FAILED', `A tile helper thread stopped: ${err.message}`, { cause: err }));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.threads[slot] = worker;
    return worker;
  }

  private solve(slot: number, method: RefinementMethodId, params: unknown, image: RgbImage, unknown: Uint8Array, alpha: Alpha): Promise<Alpha> {
    const worker = this.thread(slot);
    const id = this.nextId++;
    return new Promise<Alpha>((resolve, reject) => {
      this.pending.set(id, { slot, resolve, reject });
      worker.ref();
      const request: TileRequest = { kind: 'tile', id, method, params, image, unknown, alpha };
      // The tile's buffers are the caller's own copies: moved, not copied.
      worker.postMessage(request, [image.data.buffer as ArrayBuffer, unknown.buffer as ArrayBuffer, alpha.buffer as ArrayBuffer]);
    });
  }
}
