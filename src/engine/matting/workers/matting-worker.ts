import os from 'node:os';
import { workerPort } from '../../workers/spawn';
import { MattingError } from '../errors';
import { refineAlpha } from '../alpha/refine';
import { findRefinementMethod } from '../alpha/registry';
import type { TileRequest, TileResponse, WarmUpRequest, WarmUpResponse, WorkerRequest, WorkerResponse } from './pool-protocol';
import { TileHelpers } from './tile-helpers';
import { warmUpRefine } from './warm-up';

type Port = NonNullable<ReturnType<typeof workerPort>>;

function errorMessage(id: number, err: unknown): WorkerResponse & TileResponse {
  const e = err instanceof Error ? err : new Error(String(err));
  return { type: 'error', id, name: e.name, message: e.message, code: err instanceof MattingError ? err.code : undefined };
}

/** A tile from the matting worker that started this thread as its helper. */
function solveTile(port: Port, msg: TileRequest): void {
  const { id, method, params, image, unknown, alpha } = msg;
  const refineTile = findRefinementMethod(method)?.refineTile;
  const solved = refineTile
    ? refineTile(image, unknown, alpha, params as never, {})
    : Promise.reject(new MattingError('UNKNOWN_METHOD', `${method} has no tile solver`));
  solved.then(
    () => port.postMessage({ type: 'tile-done', id, alpha } satisfies TileResponse, [alpha.buffer as ArrayBuffer]),
    (err: unknown) => port.postMessage(errorMessage(id, err)),
  );
}

/** The warm-up under way, stopped by the first job (see warm-up.ts). */
let warming: AbortController | undefined;

function warmUp(port: Port, msg: WarmUpRequest): void {
  const controller = new AbortController();
  warming = controller;
  void warmUpRefine(msg.method, controller.signal).then((report) => {
    if (warming === controller) warming = undefined;
    port.postMessage({ type: 'warmed', id: msg.id, report } satisfies WarmUpResponse);
  });
}

// One job at a time per worker; the pool cancels by terminating the thread, so no abort plumbing here.
// Null outside the thread spawned as 'matting-worker' (a bundler may load this module elsewhere).
const port = workerPort('matting-worker');
// The other cores help with the tiles of a large photo (threads started on the first such photo).
let helpers: TileHelpers | undefined;
if (port) port.on('message', (msg: WorkerRequest | TileRequest | WarmUpRequest) => {
  if ('kind' in msg) return msg.kind === 'tile' ? solveTile(port, msg) : warmUp(port, msg);
  // A real job goes first: the warm-up stops at its next check (it yields between its steps).
  warming?.abort();
  const { id, image, trimap, options } = msg;
  const send = (m: WorkerResponse, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  helpers ??= new TileHelpers(os.availableParallelism() - 1);
  refineAlpha(image, trimap, options, {
    onProgress: (p) => send({ type: 'progress', id, fraction: p.fraction, stage: p.stage }),
    tileSolvers: helpers.solvers,
  }).then(
    (alpha) => send({ type: 'done', id, alpha }, [alpha.buffer as ArrayBuffer]),
    (err: unknown) => send(errorMessage(id, err)),
  );
});
