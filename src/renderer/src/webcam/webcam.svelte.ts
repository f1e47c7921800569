import {
  WEBCAM_AUTO_MODEL,
  alphaCoverage,
  encodeControl,
  type AlphaMessage,
  type NoticeMessage,
  type WebcamMessage,
  type WebcamModelOption,
  type WebcamModelSlot,
  type WebcamProvider,
} from '../../../shared/webcam';
import { CameraError, listCameras, openCamera, problemTitles, resolutions, type CameraInfo, type CameraProblem, type ResolutionId } from './camera';
import { Compositor, type BackgroundId } from './compositor';
import { openFrameLink, type FrameLink } from './frame-link';
import { openFrameSource, type CapturedFrame, type FrameSource } from './capture';

export type WebcamStatus = 'idle' | 'starting' | 'live' | 'stopped' | 'error';

export interface Problem {
  kind: CameraProblem | 'engine';
  title: string;
  text: string;
}

interface InFlight {
  seq: number;
  frame: CapturedFrame;
  capturedAt: number;
  snapshot: boolean;
}

/** Frames per second over the last second of composited frames. */
class RateMeter {
  private times: number[] = [];
  tick(now: number): number {
    this.times.push(now);
    while (this.times.length && now - this.times[0] > 1000) this.times.shift();
    const span = now - this.times[0];
    return this.times.length > 1 && span > 0 ? ((this.times.length - 1) * 1000) / span : 0;
  }
  reset(): void {
    this.times = [];
  }
}

/**
 * Frames the page may keep in flight. One by default (lockstep: the next camera frame leaves when
 * the last alpha came back; it is copied out ahead, see `ready`, so the engine works while the
 * page composites). Two keep the engine's queue full. Measured with I420 frames and the frame made
 * ready ahead (bench/webcam-browser.ts, same window): at load 4, 22.2 fps and 66 ms in lockstep
 * against 23.4 fps and 87 ms with two; at load 9-12 two gave more frames (11.6-13.8 against
 * 8.2-9.1 fps) at 183-212 ms; with a trained pair it gave 5.7 against 5.9 fps at twice the
 * latency (365 ms). `?inFlight=2` runs it.
 */
const DEFAULT_IN_FLIGHT = 1;
const MAX_IN_FLIGHT = 2;
/**
 * The overlay's readouts (fps, latency, engine times, coverage) change at most this often: a
 * person cannot read figures that change 25 times a second, and each change re-lays out and
 * repaints the overlay over the stage.
 */
const READOUT_MS = 250;

/** `?inFlight=2` keeps two frames in flight, so bench/webcam-browser.ts can compare both in one run. */
function framesInFlight(): number {
  const asked = Number(new URLSearchParams(globalThis.location?.search ?? '').get('inFlight'));
  return asked >= 1 && asked <= MAX_IN_FLIGHT ? asked : DEFAULT_IN_FLIGHT;
}

/**
 * The webcam window's state and loop: camera → frame → engine → alpha → composite. Each new
 * camera frame is sent as soon as fewer frames than allowed are in flight; a frame is never sent
 * twice, and latency cannot build up past the frames in flight.
 */
export class WebcamManager {
  status = $state<WebcamStatus>('idle');
  problem = $state<Problem | null>(null);
  cameras = $state<CameraInfo[]>([]);
  cameraId = $state<string | null>(null);
  resolution = $state<ResolutionId>('640x480');
  background = $state<BackgroundId>('paper');
  colour = $state('#2f7d5b');
  image = $state<ImageBitmap | null>(null);
  imageName = $state('');
  mirror = $state(true);
  fps = $state(0);
  latencyMs = $state(0);
  provider = $state<WebcamProvider | null>(null);
  timings = $state({ modelMs: 0, refineMs: 0, transferMs: 0 });
  frameSize = $state<{ width: number; height: number } | null>(null);
  framesShown = $state(0);
  /** The sequence number of the frame on screen (tests match it with the messages on the wire). */
  shownSeq = $state(0);
  coverage = $state(0);
  message = $state<{ level: 'info' | 'error'; text: string } | null>(null);
  snapshotPending = $state(false);
  /** The models the engine offers (the automatic one first) and the window's choice. */
  models = $state<WebcamModelOption[]>([]);
  modelId = $state<string>(WEBCAM_AUTO_MODEL);
  modelPending = $state(false);
  /** Which model made the frame on screen, and the label of the pair the engine last confirmed. */
  modelSlot = $state<WebcamModelSlot>('auto');
  private pairLabel = $state('');
  readonly modelLabel = $derived(this.modelSlot === 'pair' ? this.pairLabel : (this.models[0]?.label ?? 'Automatic'));

  private stream: MediaStream | null = null;
  private link: FrameLink | null = null;
  private video: HTMLVideoElement | null = null;
  private stage: HTMLCanvasElement | null = null;
  private source: FrameSource | null = null;
  /** A frame is being copied out of the camera (the track path's copy is asynchronous). */
  private capturing = false;
  /**
   * The newest camera frame, already copied and encoded while the last one is in flight (track
   * frames only: their copy is cheap), so it leaves the moment the alpha lands, before that alpha
   * is composited: the engine works on it while the page draws.
   */
  private ready: InFlight | null = null;
  private readonly compositor = new Compositor();
  private readonly rate = new RateMeter();
  private inFlight: InFlight[] = [];
  private readonly maxInFlight = framesInFlight();
  private seq = 0;
  private wantSnapshot = false;
  private generation = 0;
  private lastReadout = -Infinity;

  attach(video: HTMLVideoElement, stage: HTMLCanvasElement): void {
    this.video = video;
    this.stage = stage;
    navigator.mediaDevices?.addEventListener?.('devicechange', () => void this.refreshCameras());
  }

  async start(): Promise<void> {
    this.stop('idle');
    const generation = ++this.generation;
    this.status = 'starting';
    this.problem = null;
    const size = resolutions.find((r) => r.id === this.resolution) ?? resolutions[1];
    try {
      const stream = await openCamera(this.cameraId, size.width, size.height);
      if (generation !== this.generation) return stream.getTracks().forEach((t) => t.stop());
      this.stream = stream;
      const track = stream.getVideoTracks()[0];
      if (!track) throw new CameraError('absent', 'The camera gave no video.');
      track.addEventListener('ended', () => generation === this.generation && this.fail('unplugged', 'The camera stopped sending video (unplugged or switched off). Reconnect it and press Start.'));
      this.cameraId = track.getSettings().deviceId ?? this.cameraId;
      await this.refreshCameras();
      const video = this.video!;
      video.srcObject = stream;
      await video.play();
      this.link = await openFrameLink({
        onMessage: (m) => this.onEngineMessage(m),
        onClose: (reason) => generation === this.generation && this.fail('engine', reason),
      });
      if (generation !== this.generation) return;
      this.status = 'live';
      // The model list, and the choice again after a restart (a new stream starts on the automatic model).
      this.control({ request: 'list' });
      if (this.modelId !== WEBCAM_AUTO_MODEL) this.chooseModel(this.modelId);
      this.rate.reset();
      this.source = openFrameSource(stream, video, () => generation === this.generation && void this.pump());
    } catch (err) {
      if (generation !== this.generation) return;
      if (err instanceof CameraError) this.fail(err.problem, err.message);
      else this.fail('engine', err instanceof Error ? err.message : String(err));
    }
  }

  /** Stops the camera and the engine stream; the window stays usable. */
  stop(status: WebcamStatus = 'stopped'): void {
    this.generation++;
    this.inFlight = [];
    this.ready = null;
    this.source?.close();
    this.source = null;
    this.link?.close();
    this.link = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    if (this.video) this.video.srcObject = null;
    this.fps = 0;
    this.status = status;
  }

  snapshot(): void {
    if (this.status !== 'live') return;
    this.wantSnapshot = true;
    this.snapshotPending = true;
  }

  /** Runs a trained pair (or the automatic model) from the next frames on; the engine checks the choice. */
  chooseModel(id: string): void {
    this.modelId = id;
    if (!this.link) return;
    this.modelPending = true;
    if (id !== WEBCAM_AUTO_MODEL) this.message = { level: 'info', text: `Loading ${this.models.find((m) => m.id === id)?.label ?? id}…` };
    this.control({ request: 'select', model: id });
  }

  private control(request: Parameters<typeof encodeControl>[1]): void {
    this.link?.send(encodeControl(++this.seq, request));
  }

  async chooseImage(file: File): Promise<void> {
    this.image?.close();
    this.image = await createImageBitmap(file);
    this.imageName = file.name;
    this.background = 'image';
  }

  private fail(kind: Problem['kind'], text: string): void {
    const title = kind === 'engine' ? 'Engine unavailable' : problemTitles[kind];
    this.stop('error');
    this.problem = { kind, title, text };
  }

  private async refreshCameras(): Promise<void> {
    this.cameras = await listCameras();
  }

  /** Sends the frame made ready, if any, when fewer frames than allowed are in flight. */
  private send(): void {
    const ready = this.ready;
    if (!ready || this.status !== 'live' || this.inFlight.length >= this.maxInFlight || !this.link) return;
    this.ready = null;
    if (ready.snapshot) this.wantSnapshot = false;
    this.inFlight.push(ready);
    const { width, height } = ready.frame;
    if (this.frameSize?.width !== width || this.frameSize.height !== height) this.frameSize = { width, height };
    this.link.send(ready.frame.buffer);
  }

  /**
   * Copies the newest camera frame out and sends it when there is room: at once with room,
   * otherwise ahead of time for track frames (see `ready`).
   */
  private async pump(): Promise<void> {
    const source = this.source;
    if (this.status !== 'live' || this.capturing || !source?.fresh || !this.link) return;
    const room = this.inFlight.length < this.maxInFlight;
    if (!room && source.kind !== 'track') return;
    const generation = this.generation;
    const seq = ++this.seq;
    const snapshot = this.wantSnapshot;
    const capturedAt = performance.now();
    this.capturing = true;
    let frame: CapturedFrame | null;
    try {
      frame = await source.take(seq, snapshot);
    } catch (e) {
      // Unheard of with a live camera; the next camera frame tries again.
      this.message = { level: 'error', text: `A camera frame could not be read: ${e instanceof Error ? e.message : String(e)}` };
      return;
    } finally {
      this.capturing = false;
    }
    if (!frame || generation !== this.generation) return;
    // A newer frame replaces one made ready earlier (a snapshot request in it carries over: wantSnapshot is still set).
    this.ready = { seq, frame, capturedAt, snapshot };
    this.send();
    // A camera frame may have come during the copy.
    void this.pump();
  }

  private onEngineMessage(message: WebcamMessage): void {
    if (message.kind === 'alpha') this.onAlpha(message);
    else if (message.kind === 'notice') this.onNotice(message);
  }

  private onAlpha(message: AlphaMessage): void {
    const sent = this.inFlight.find((f) => f.seq === message.seq);
    if (!sent || this.status !== 'live') return;
    // Older frames still listed were replaced in the engine's queue: no answer will come for them.
    this.inFlight = this.inFlight.filter((f) => f.seq > message.seq);
    // The next frame leaves before this one is drawn.
    this.send();
    if (this.stage) {
      this.compositor.draw(this.stage, sent.frame, message.alpha, { background: this.background, colour: this.colour, image: this.image, mirror: this.mirror });
    }
    const now = performance.now();
    const fps = this.rate.tick(now);
    if (now - this.lastReadout >= READOUT_MS || this.modelSlot !== message.model || this.provider !== message.provider) {
      this.lastReadout = now;
      this.fps = fps;
      this.latencyMs = now - sent.capturedAt;
      this.provider = message.provider;
      this.modelSlot = message.model;
      this.timings = message.timings;
      this.coverage = alphaCoverage(message.alpha);
    }
    this.framesShown++;
    this.shownSeq = message.seq;
    void this.pump();
  }

  private onNotice(message: NoticeMessage): void {
    if (message.code === 'MODELS') {
      this.models = message.models ?? [];
      return;
    }
    if (message.code === 'MODEL_READY' || message.code === 'MODEL_FAILED') {
      this.modelPending = false;
      // On failure the engine says it went back to the automatic model; the choice follows it.
      if (message.model) {
        this.modelId = message.model.id;
        if (message.model.id !== WEBCAM_AUTO_MODEL) this.pairLabel = message.model.label;
      }
    }
    if (message.code === 'SNAPSHOT_SAVED' || message.code === 'SNAPSHOT_FAILED') this.snapshotPending = false;
    if (message.code === 'ENGINE_FAILED') this.fail('engine', `The engine could not process the camera: ${message.text}`);
    else this.message = { level: message.level, text: message.text };
  }
}
