/**
 * The webcam running a trained SHM pair, over the real browser-mode socket: a real exported pair
 * (training/export.py on untrained weights), the webcam worker with onnxruntime on the CPU. The
 * window lists the pair, chooses it, and gets the pair's matte (not the automatic model's), equal
 * to the studio's own pair path (`shm-studio matte --model <id>-tnet --refine <id>-mnet`) on the
 * same frame; a pair that cannot load leaves the stream on the automatic model with a message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createStudio } from '../../../src/engine/studio';
import { createDefaultEngine, matteImage } from '../../../src/engine/pipeline';
import { rgbaToRgb } from '../../../src/engine/webcam/pixels';
import { resizedModel } from '../../../src/engine/webcam/pair-stage';
import { InferenceService } from '../../../src/engine/inference/service';
import { getModel } from '../../../src/engine/models/registry';
import { startWebServer, type WebServer } from '../../../src/web/server';
import {
  WEBCAM_FRAMES_PATH,
  decodeMessage,
  encodeControl,
  encodeFrame,
  type AlphaMessage,
  type ControlRequest,
  type NoticeMessage,
  type WebcamMessage,
} from '../../../src/shared/webcam';
import { astronautRgba } from '../../fixtures/webcam/clip';
import { exportUntrainedPair } from '../../fixtures/webcam/pair';

const repo = path.resolve(import.meta.dirname, '../../..');
/** The pair's exported input: the webcam's short side (PAIR_SHORT_SIDE), so a square frame of it runs the exported graph as is. */
const SIZE = 160;

let root: string;
let models: string;
let server: WebServer;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-webcam-pair-'));
  models = path.join(root, 'models');
  fs.mkdirSync(models);
  for (const f of ['selfie-landscape.json', 'selfie-landscape.onnx', 'selfie-general.json', 'selfie-general.onnx']) fs.copyFileSync(path.join(repo, 'models', f), path.join(models, f));
  exportUntrainedPair(models, 'camtest', SIZE);
  // The same weights (same seed) exported at the trainer's default size.
  exportUntrainedPair(models, 'big', 320);
  // A copy of it whose M-Net file is damaged: listed by its manifests, unable to load.
  for (const half of ['tnet', 'mnet']) {
    const manifest = JSON.parse(fs.readFileSync(path.join(models, `camtest-${half}.json`), 'utf8')) as { id: string; training: { pairId: string } };
    fs.writeFileSync(path.join(models, `broken-${half}.json`), JSON.stringify({ ...manifest, id: `broken-${half}`, training: { ...manifest.training, pairId: 'broken' } }));
  }
  fs.copyFileSync(path.join(models, 'camtest-tnet.onnx'), path.join(models, 'broken-tnet.onnx'));
  fs.writeFileSync(path.join(models, 'broken-mnet.onnx'), 'not an onnx file');
  server = await startWebServer({
    rendererDir: path.join(root, 'renderer'),
    createStudio: (emit) => createStudio({ appDataDir: path.join(root, 'app-data'), shell: 'test', modelsDir: models, emit }),
  });
}, 240_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

interface Stream {
  ws: WebSocket;
  messages: WebcamMessage[];
  frame(seq: number, width: number, height: number, rgba: Uint8Array): Promise<AlphaMessage>;
  control(seq: number, request: ControlRequest): Promise<NoticeMessage>;
}

async function open(): Promise<Stream> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${WEBCAM_FRAMES_PATH}`, { headers: { Origin: server.origin, Cookie: `shm_token=${server.token}` } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const messages: WebcamMessage[] = [];
  ws.on('message', (data: Buffer) => messages.push(decodeMessage(data)));
  const until = async <T extends WebcamMessage>(pick: (m: WebcamMessage) => m is T): Promise<T> => {
    let found: T | undefined;
    await expect.poll(() => (found = messages.find(pick)), { timeout: 90_000, interval: 20 }).toBeDefined();
    return found!;
  };
  return {
    ws,
    messages,
    frame(seq, width, height, rgba) {
      ws.send(encodeFrame(seq, width, height, rgba));
      return until((m): m is AlphaMessage => m.kind === 'alpha' && m.seq === seq);
    },
    control(seq, request) {
      ws.send(encodeControl(seq, request));
      return until((m): m is NoticeMessage => m.kind === 'notice' && m.seq === seq);
    },
  };
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

describe('webcam with a trained pair', () => {
  it('lists the automatic model and the trained pairs of the studio', async () => {
    const s = await open();
    const list = await s.control(1, { request: 'list' });
    expect(list).toMatchObject({ code: 'MODELS', model: { id: 'auto' } });
    expect(list.models?.map((m) => m.id)).toEqual(['auto', 'big', 'broken', 'camtest']);
    expect(list.models?.find((m) => m.id === 'camtest')?.label).toContain('camtest');
    s.ws.close();
  });

  it("returns the pair's matte: unlike the automatic model's, equal to the studio's pair path on the same frame", async () => {
    const s = await open();
    const rgba = await astronautRgba(SIZE, SIZE);
    const auto = await s.frame(1, SIZE, SIZE, rgba);
    expect(auto.model).toBe('auto');

    const ready = await s.control(2, { request: 'select', model: 'camtest' });
    expect(ready).toMatchObject({ level: 'info', code: 'MODEL_READY', model: { id: 'camtest' } });
    expect(ready.text).toContain(`${SIZE}×${SIZE}`);
    const paired = await s.frame(3, SIZE, SIZE, rgba);
    expect(paired.model).toBe('pair');
    expect(meanAbsDiff(paired.alpha, auto.alpha)).toBeGreaterThan(20);

    // The studio's pair path: T-Net → its soft trimap → M-Net → alpha = Fs + Us * alpha_r.
    const engine = createDefaultEngine({ provider: 'cpu', modelsDir: models });
    try {
      const studio = await matteImage({ image: rgbaToRgb(rgba, SIZE, SIZE), modelId: 'camtest-tnet', refine: 'camtest-mnet', decontaminate: false }, engine);
      let worst = 0;
      for (let i = 0; i < studio.alpha.length; i++) worst = Math.max(worst, Math.abs(studio.alpha[i] - paired.alpha[i]));
      expect(worst).toBeLessThanOrEqual(1);
    } finally {
      await engine.close();
    }

    // A 640x480 camera frame runs the pair at the webcam's reduced input, enlarged to the frame.
    const big = await astronautRgba(640, 480);
    const bigPaired = await s.frame(4, 640, 480, big);
    expect(bigPaired).toMatchObject({ model: 'pair', width: 640, height: 480 });
    const wideReady = await s.control(5, { request: 'select', model: 'big' });
    expect(wideReady.text).toContain('runs at 224×160');
    expect(bigPaired.alpha.length).toBe(640 * 480);

    // Back to the automatic model.
    expect(await s.control(7, { request: 'select', model: 'auto' })).toMatchObject({ code: 'MODEL_READY', model: { id: 'auto' } });
    expect((await s.frame(8, SIZE, SIZE, rgba)).model).toBe('auto');
    s.ws.close();
  });

  it('runs a pair exported at 320 at the webcam input exactly as the same weights exported at that size', async () => {
    const inference = new InferenceService({ provider: 'cpu', modelsDir: models });
    const scratch = fs.mkdtempSync(path.join(root, 'scratch-'));
    try {
      for (const half of ['tnet', 'mnet']) {
        const info = getModel(`big-${half}`, models);
        inference.define(resizedModel({ manifest: info.manifest, onnxPath: info.onnxPath }, { width: SIZE, height: SIZE }, scratch));
      }
      const image = rgbaToRgb(await astronautRgba(SIZE, SIZE), SIZE, SIZE);
      const resized = await inference.shm(`big-tnet-webcam-${SIZE}x${SIZE}`, `big-mnet-webcam-${SIZE}x${SIZE}`, image);
      const exported = await inference.shm('camtest-tnet', 'camtest-mnet', image);
      let worst = 0;
      for (let i = 0; i < resized.alpha.length; i++) worst = Math.max(worst, Math.abs(resized.alpha[i] - exported.alpha[i]));
      expect(worst).toBeLessThan(1e-4);
      // And the webcam's 4:3 input runs (the decoder's folded resize sizes scale with it).
      for (const half of ['tnet', 'mnet']) {
        const info = getModel(`big-${half}`, models);
        inference.define(resizedModel({ manifest: info.manifest, onnxPath: info.onnxPath }, { width: 224, height: 160 }, scratch));
      }
      const wide = await inference.shm('big-tnet-webcam-224x160', 'big-mnet-webcam-224x160', rgbaToRgb(await astronautRgba(224, 160), 224, 160));
      expect(wide.alpha.length).toBe(224 * 160);
    } finally {
      await inference.close();
    }
  });

  it('keeps the automatic model, with a clear message, when a pair cannot load or does not exist', async () => {
    const s = await open();
    const rgba = await astronautRgba(SIZE, SIZE);
    const failed = await s.control(1, { request: 'select', model: 'broken' });
    expect(failed).toMatchObject({ level: 'error', code: 'MODEL_FAILED', model: { id: 'auto' } });
    expect(failed.text).toMatch(/broken.*could not be loaded: .*broken-mnet\.onnx.*automatic model/s);
    expect((await s.frame(2, SIZE, SIZE, rgba)).model).toBe('auto');

    const unknown = await s.control(3, { request: 'select', model: '../../etc/passwd' });
    expect(unknown).toMatchObject({ level: 'error', code: 'MODEL_FAILED', model: { id: 'auto' } });
    expect(unknown.text).toContain('There is no trained pair');
    expect((await s.frame(4, SIZE, SIZE, rgba)).model).toBe('auto');

    // A malformed control message is a BAD_FRAME notice; the stream goes on.
    s.ws.send(encodeControl(5, { request: 'select' } as never));
    await expect.poll(() => s.messages.find((m) => m.kind === 'notice' && m.code === 'BAD_FRAME'), { timeout: 30_000 }).toBeDefined();
    expect((await s.frame(6, SIZE, SIZE, rgba)).model).toBe('auto');
    s.ws.close();
  });
});
