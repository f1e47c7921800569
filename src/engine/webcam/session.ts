import {
  FrameProtocolError,
  WEBCAM_AUTO_MODEL,
  decodeMessage,
  encodeAlpha,
  encodeNotice,
  writeTimings,
  type ControlRequest,
  type FrameMessage,
  type NoticeCode,
  type NoticeMessage,
  type PixelFormat,
  type WebcamModelOption,
} from '../../shared/webcam';
import type { EngineFrame } from './engine';
import { frameToRgba } from './pixels';
import { autoModelOption, webcamModelOptions, type WebcamPair } from './pairs';
import type { PairInputSize } from './pair-stage';

/** What a session needs of the engine: WorkerWebcamEngine, or anything shaped like it. */
export interface FrameEngine {
  process(pixels: Uint8Array, width: number, height: number, format: PixelFormat): Promise<EngineFrame>;
  /** Runs a trained pair (null: the automatic model); rejects with the reason it cannot. */
  selectModel?(pair: WebcamPair | null): Promise<PairInputSize | null>;
  close(): Promise<void>;
}

/** The trained pairs a stream may choose from, read again at each request (a pair may just have been trained). */
export type PairCatalog = () => WebcamPair[];

export interface Snapshot {
  width: number;
  height: number;
  rgba: Uint8Array;
  alpha: Uint8Array;
}

/** Saves a snapshot somewhere (the open project); resolves to a sentence for the user. */
export type SnapshotSink = (shot: Snapshot) => Promise<string>;

interface Queued {
  frame: FrameMessage;
  decodeMs: number;
}

/**
 * One camera stream over one transport. Frames are processed one at a time; a frame that arrives
 * while another is being processed waits, and a newer one replaces it, so latency never builds up
 * even if the page sends faster than the engine answers.
 */
export class WebcamSession {
  private busy = false;
  private next: Queued | null = null;
  private closed = false;
  /** What runs now, as the window shows it. */
  private model: WebcamModelOption = autoModelOption;
  /** Model choices, one after another (a second waits for the first's load). */
  private choosing: Promise<void> = Promise.resolve();
  /** Frames replaced before they were processed (for tests and the log). */
  dropped = 0;
  processed = 0;

  constructor(
    private readonly engine: FrameEngine,
    private readonly send: (message: ArrayBuffer) => void,
    private readonly snapshot?: SnapshotSink,
    private readonly pairs: PairCatalog = () => [],
  ) {}

  receive(data: ArrayBuffer | ArrayBufferView): void {
    if (this.closed) return;
    const t0 = performance.now();
    let message;
    try {
      message = decodeMessage(data);
    } catch (e) {
      this.notice(0, 'error', 'BAD_FRAME', e instanceof FrameProtocolError ? e.message : 'unreadable message');
      return;
    }
    if (message.kind === 'control') {
      this.choosing = this.choosing.then(() => this.control(message.seq, message.control));
      return;
    }
    if (message.kind !== 'frame') {
      this.notice(message.seq, 'error', 'BAD_FRAME', `the engine accepts frames only, not ${message.kind}`);
      return;
    }
    if (this.next && !this.next.frame.snapshot) this.dropped++;
    // A snapshot request is never dropped in favour of a plain frame.
    if (!this.next?.frame.snapshot || message.snapshot) this.next = { frame: message, decodeMs: performance.now() - t0 };
    else this.dropped++;
    void this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.next = null;
    await this.engine.close();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.next && !this.closed) {
        const { frame, decodeMs } = this.next;
        this.next = null;
        await this.processOne(frame, decodeMs);
      }
    } finally {
      this.busy = false;
    }
  }

  private async processOne(frame: FrameMessage, decodeMs: number): Promise<void> {
    const t0 = performance.now();
    let result: EngineFrame;
    try {
      result = await this.engine.process(frame.pixels, frame.width, frame.height, frame.format);
    } catch (e) {
      this.notice(frame.seq, 'error', 'ENGINE_FAILED', e instanceof Error ? e.message : String(e));
      return;
    }
    if (this.closed) return;
    const { modelMs, refineMs } = result.timings;
    const reply = encodeAlpha(frame.seq, result.width, result.height, result.alpha, { modelMs, refineMs, transferMs: 0 }, result.provider, result.model);
    const transferMs = Math.max(0, decodeMs + performance.now() - t0 - modelMs - refineMs);
    writeTimings(new DataView(reply), { modelMs, refineMs, transferMs });
    this.send(reply);
    this.processed++;
    if (frame.snapshot) await this.saveSnapshot(frame.seq, result);
  }

  /** The window's model list and choice, validated here: only 'auto' or a pair of the catalog runs. */
  private async control(seq: number, control: ControlRequest): Promise<void> {
    let pairs: WebcamPair[];
    try {
      pairs = this.pairs();
    } catch (e) {
      pairs = [];
      this.notice(seq, 'error', 'MODEL_FAILED', `The trained pairs cannot be listed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (control.request === 'list') {
      this.notice(seq, 'info', 'MODELS', '', { models: webcamModelOptions(pairs), model: this.model });
      return;
    }
    const wanted = control.model;
    const pair = wanted === WEBCAM_AUTO_MODEL ? null : pairs.find((p) => p.id === wanted);
    if (pair === undefined) {
      await this.fallBack(seq, `There is no trained pair “${wanted}” in the models folder (it needs its T-Net and its M-Net).`);
      return;
    }
    if (pair && !this.engine.selectModel) {
      await this.fallBack(seq, 'This engine runs the automatic model only.');
      return;
    }
    try {
      const input = (await this.engine.selectModel?.(pair)) ?? null;
      this.model = pair ? { id: pair.id, label: pair.label } : autoModelOption;
      const text = pair && input ? `${pair.label} runs at ${input.width}×${input.height}.` : `${autoModelOption.label} runs.`;
      this.notice(seq, 'info', 'MODEL_READY', text, { model: this.model });
    } catch (e) {
      // The worker is back on the automatic model already.
      await this.fallBack(seq, `${pair?.label ?? wanted} could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** A choice that cannot run: say why; the stream goes on with the automatic model. */
  private async fallBack(seq: number, reason: string): Promise<void> {
    if (this.model.id !== WEBCAM_AUTO_MODEL) await this.engine.selectModel?.(null).catch(() => null);
    this.model = autoModelOption;
    this.notice(seq, 'error', 'MODEL_FAILED', `${reason} The webcam goes on with the automatic model.`, { model: autoModelOption });
  }

  private async saveSnapshot(seq: number, result: EngineFrame): Promise<void> {
    if (!this.snapshot) {
      this.notice(seq, 'error', 'SNAPSHOT_FAILED', 'Snapshots cannot be saved from this window.');
      return;
    }
    try {
      const text = await this.snapshot({ width: result.width, height: result.height, rgba: frameToRgba(result.format, result.pixels, result.width, result.height), alpha: result.alpha });
      this.notice(seq, 'info', 'SNAPSHOT_SAVED', text);
    } catch (e) {
      this.notice(seq, 'error', 'SNAPSHOT_FAILED', e instanceof Error ? e.message : String(e));
    }
  }

  private notice(seq: number, level: 'info' | 'error', code: NoticeCode, text: string, extra: Pick<NoticeMessage, 'models' | 'model'> = {}): void {
    if (!this.closed) this.send(encodeNotice({ seq, level, code, text, ...extra }));
  }
}
