/**
 * npx tsx bench/webcam.ts [--provider cpu|webgpu|cuda|auto] [--frames 60] [--rounds 3] [--pair]
 *
 * Per-frame engine time of the live webcam preview at 640x480, split into model, refinement and
 * transfer (issue 7; target on CPU: under 25 ms per frame). Three measurements per round:
 *   1. the frame processor in this thread (model through the InferenceService worker, refinement
 *      here), timings as the processor reports them;
 *   2. the whole browser-mode path: a real WebSocket to the real server, the webcam worker, the
 *      model worker and back; transfer = round trip − model − refinement (socket, encode/decode,
 *      worker hops);
 *   3. reference, same run: the naïve pipeline, the model on the full frame and the colour guided
 *      filter at full resolution (radius 8, the working radius scaled up), no band, no smoothing.
 *   4. the same socket path pipelined as the webcam page runs it with ?inFlight=2: two frames in flight (the next
 *      one sent while the engine works), frames per second and frame-to-matte latency, against
 *      the lockstep round trip of 2.
 * Frames alternate between two shifted views of the astronaut photo so the temporal smoothing and
 * the band have real work. Figures are medians over frames, then the median over rounds.
 *
 * --pair: instead, a trained SHM pair (training/export.py on untrained weights: the networks' cost
 * does not depend on the weights) through the webcam's pair path at 640x480, one row per input
 * short side, to pick PAIR_SHORT_SIDE (src/engine/webcam/pair-stage.ts).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket, { WebSocketServer } from 'ws';
import { InferenceService, type ProviderSetting } from '../src/engine/inference/service';
import { guidedFilter } from '../src/engine/matting';
import { WebcamProcessor, listWebcamPairs, webcamProcessorDefaults } from '../src/engine/webcam';
import { PairStage, pairInputSize } from '../src/engine/webcam/pair-stage';
import { exportUntrainedPair } from '../test/fixtures/webcam/pair';
import { rgbaToRgb, toPlanes } from '../src/engine/webcam/pixels';
import { createStudio } from '../src/engine/studio';
import { startWebServer } from '../src/web/server';
import { WEBCAM_FRAMES_PATH, decodeMessage, encodeFrame, type AlphaMessage } from '../src/shared/webcam';
import { astronautRgba } from '../test/fixtures/webcam/clip';
import { median, printTable } from './lib/measure';

const { values } = parseArgs({
  options: {
    provider: { type: 'string', default: 'cpu' },
    frames: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
    pair: { type: 'boolean', default: false },
  },
});
const provider = values.provider as ProviderSetting;
const FRAMES = Number(values.frames);
const ROUNDS = Number(values.rounds);
const W = 640;
const H = 480;
const WARMUP = 5;

interface Split {
  model: number;
  refine: number;
  transfer: number;
  total: number;
}

const frames = await Promise.all([astronautRgba(W, H, 0), astronautRgba(W, H, 6)]);

/** Medians over FRAMES frames after WARMUP: the processor's model and refinement ms, and the whole call. */
async function timeFrames(processor: WebcamProcessor): Promise<Omit<Split, 'transfer'>> {
  const model: number[] = [];
  const refine: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < FRAMES + WARMUP; i++) {
    const t = performance.now();
    const r = await processor.process(frames[i % 2], W, H);
    if (i < WARMUP) continue;
    total.push(performance.now() - t);
    model.push(r.timings.modelMs);
    refine.push(r.timings.refineMs);
  }
  return { model: median(model), refine: median(refine), total: median(total) };
}

async function inThread(inference: InferenceService): Promise<Split> {
  return { ...(await timeFrames(new WebcamProcessor(inference))), transfer: 0 };
}

async function overSocket(port: number, origin: string, token: string): Promise<Split & { engineTransfer: number }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${WEBCAM_FRAMES_PATH}`, { headers: { Origin: origin, Cookie: `shm_token=${token}` } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const replies = new Map<number, (m: AlphaMessage) => void>();
  ws.on('message', (data: Buffer) => {
    const m = decodeMessage(data);
    if (m.kind === 'alpha') replies.get(m.seq)?.(m);
    else throw new Error(`engine notice: ${JSON.stringify(m)}`);
  });
  const split = { model: [] as number[], refine: [] as number[], transfer: [] as number[], total: [] as number[], engineTransfer: [] as number[] };
  for (let seq = 1; seq <= FRAMES + WARMUP; seq++) {
    const t = performance.now();
    const reply = await new Promise<AlphaMessage>((resolve) => {
      replies.set(seq, resolve);
      ws.send(encodeFrame(seq, W, H, frames[seq % 2]));
    });
    const rtt = performance.now() - t;
    replies.delete(seq);
    if (seq <= WARMUP) continue;
    split.total.push(rtt);
    split.model.push(reply.timings.modelMs);
    split.refine.push(reply.timings.refineMs);
    split.engineTransfer.push(reply.timings.transferMs);
    split.transfer.push(rtt - reply.timings.modelMs - reply.timings.refineMs);
  }
  ws.close();
  return { model: median(split.model), refine: median(split.refine), transfer: median(split.transfer), total: median(split.total), engineTransfer: median(split.engineTransfer) };
}

async function reference(inference: InferenceService): Promise<Split> {
  const model: number[] = [];
  const refine: number[] = [];
  const radius = Math.round((webcamProcessorDefaults.radius * W) / webcamProcessorDefaults.workWidth);
  for (let i = 0; i < FRAMES / 2 + WARMUP; i++) {
    const t0 = performance.now();
    const full = rgbaToRgb(frames[i % 2], W, H);
    const seg = await inference.segment(webcamProcessorDefaults.modelId, full);
    const t1 = performance.now();
    guidedFilter(toPlanes(full), seg.prob, W, H, radius, webcamProcessorDefaults.epsilon);
    const t2 = performance.now();
    if (i < WARMUP) continue;
    model.push(t1 - t0);
    refine.push(t2 - t1);
  }
  return { model: median(model), refine: median(refine), transfer: 0, total: median(model) + median(refine) };
}

/** Two frames in flight, as the webcam page sends them: throughput and frame-to-matte latency. */
async function pipelined(port: number, origin: string, token: string, depth = 2): Promise<{ fps: number; latency: number }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${WEBCAM_FRAMES_PATH}`, { headers: { Origin: origin, Cookie: `shm_token=${token}` } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const sentAt = new Map<number, number>();
  const latency: number[] = [];
  let next = 1;
  let started = 0;
  const total = FRAMES + WARMUP;
  const send = () => {
    const seq = next++;
    if (seq === WARMUP + 1) started = performance.now();
    sentAt.set(seq, performance.now());
    ws.send(encodeFrame(seq, W, H, frames[seq % 2]));
  };
  const elapsed = await new Promise<number>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const m = decodeMessage(data);
      if (m.kind !== 'alpha') throw new Error(`engine notice: ${JSON.stringify(m)}`);
      if (m.seq > WARMUP) latency.push(performance.now() - sentAt.get(m.seq)!);
      if (m.seq === total) resolve(performance.now() - started);
      else if (next <= total) send();
    });
    for (let i = 0; i < depth; i++) send();
  });
  ws.close();
  return { fps: (latency.length * 1000) / elapsed, latency: median(latency) };
}

/** Same bytes over a bare ws echo on loopback: what the socket itself costs, no engine. */
async function socketEcho(): Promise<number> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 64 << 20 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => ws.on('message', () => ws.send(new Uint8Array(W * H + 32))));
  const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
  await new Promise((resolve) => ws.once('open', resolve));
  const message = encodeFrame(1, W, H, frames[0]);
  const ms: number[] = [];
  for (let i = 0; i < FRAMES + WARMUP; i++) {
    const t = performance.now();
    await new Promise((resolve) => {
      ws.once('message', resolve);
      ws.send(message);
    });
    if (i >= WARMUP) ms.push(performance.now() - t);
  }
  ws.close();
  await new Promise((resolve) => wss.close(resolve));
  return median(ms);
}

/** --pair: the pair path per input short side, in this thread (the models on the inference worker). */
async function benchPair(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shm-bench-webcam-pair-'));
  exportUntrainedPair(dir, 'bench', 320);
  for (const f of ['selfie-landscape.json', 'selfie-landscape.onnx']) await fs.copyFile(path.resolve('models', f), path.join(dir, f));
  const [pair] = listWebcamPairs(dir);
  const inference = new InferenceService({ provider, modelsDir: dir });
  console.log(`webcam pair bench: ${W}x${H} frames, ${FRAMES} frames per size, provider ${(await inference.providerReport()).active}, ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}`);
  const rows: (string | number)[][] = [];
  for (const short of [128, 160, 192, 256, 320]) {
    const size = pairInputSize(W, H, { width: 320, height: 320 }, short);
    const processor = new WebcamProcessor(inference);
    processor.lastFrame = { width: W, height: H };
    const stage = await PairStage.load(inference, pair, { width: W, height: H }, dir, path.join(dir, 'scratch'), short);
    processor.usePair(stage);
    const { model, total } = await timeFrames(processor);
    rows.push([`${size.width}x${size.height}`, model, total, 1000 / total]);
  }
  await inference.close();
  await fs.rm(dir, { recursive: true, force: true });
  console.log('\npair path per frame (medians, ms): T-Net + M-Net + fusion, and the whole frame');
  printTable(['input', 'model', 'total', 'fps'], rows);
}

if (values.pair) {
  await benchPair();
  process.exit(0);
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'shm-bench-webcam-'));
const server = await startWebServer({
  rendererDir: path.join(root, 'renderer'),
  createStudio: (emit) => createStudio({ appDataDir: root, shell: 'test', emit }),
});
const set = await server.studio.dispatch('settings.set', { executionProvider: provider });
if (!set.ok) throw new Error(`settings.set: ${set.error.message}`);
const inference = new InferenceService({ provider });
const report = await inference.providerReport();
console.log(`webcam bench: ${W}x${H}, ${FRAMES} frames x ${ROUNDS} rounds, provider ${report.active} (requested ${provider}), ${os.availableParallelism()} cores, node ${process.version}`);

const rounds: { thread: Split; socket: Split & { engineTransfer: number }; piped: { fps: number; latency: number }; ref: Split; echo: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const thread = await inThread(inference);
  const socket = await overSocket(server.port, server.origin, server.token);
  const piped = await pipelined(server.port, server.origin, server.token);
  const ref = await reference(inference);
  const echo = await socketEcho();
  rounds.push({ thread, socket, piped, ref, echo });
  console.log(`round ${r + 1}: in-thread ${thread.total.toFixed(1)} ms, socket round trip ${socket.total.toFixed(1)} ms, pipelined ${piped.fps.toFixed(1)} fps, reference ${ref.total.toFixed(1)} ms`);
}
await inference.close();
await server.close();
await fs.rm(root, { recursive: true, force: true });

const m = (pick: (x: (typeof rounds)[number]) => number) => median(rounds.map(pick));
const rows: (string | number)[][] = [
  ['processor (in thread)', m((x) => x.thread.model), m((x) => x.thread.refine), '-', m((x) => x.thread.total)],
  ['browser mode (WebSocket + workers)', m((x) => x.socket.model), m((x) => x.socket.refine), m((x) => x.socket.transfer), m((x) => x.socket.total)],
  ['reference: full-frame model + full-res guided filter', m((x) => x.ref.model), m((x) => x.ref.refine), '-', m((x) => x.ref.total)],
  ['reference: bare ws echo of the same bytes', '-', '-', m((x) => x.echo), m((x) => x.echo)],
];
console.log('\nper-frame medians (ms)');
printTable(['path', 'model', 'refine', 'transfer', 'total'], rows);
console.log(`\nengine-side transfer (decode, copies, encode, worker hops not in model): ${m((x) => x.socket.engineTransfer).toFixed(2)} ms`);
const engine = m((x) => x.socket.model + x.socket.refine + x.socket.engineTransfer);
console.log(`engine time per frame (model + refine + engine-side transfer): ${engine.toFixed(1)} ms (target < 25 ms on CPU): ${engine < 25 ? 'met' : 'NOT met'}`);
console.log(`socket share of the round trip: ${m((x) => x.socket.transfer).toFixed(1)} ms vs ${m((x) => x.echo).toFixed(1)} ms for a bare ws echo (ws masks and unmasks in JavaScript without its optional bufferutil addon)`);
console.log(`over the socket: lockstep ${(1000 / m((x) => x.socket.total)).toFixed(1)} fps (one frame in flight) vs pipelined ${m((x) => x.piped.fps).toFixed(1)} fps (two in flight, the page's ?inFlight=2), frame-to-matte latency ${m((x) => x.piped.latency).toFixed(1)} ms; ratio ${(m((x) => x.piped.fps) * m((x) => x.socket.total) / 1000).toFixed(2)}`);
console.log(`load average at the end: ${os.loadavg()[0].toFixed(1)}`);
console.log(`ratio processor / reference: ${(m((x) => x.thread.total) / m((x) => x.ref.total)).toFixed(2)}`);
console.log(`ratio refinement / reference refinement: ${(m((x) => x.thread.refine) / m((x) => x.ref.refine)).toFixed(2)}`);
