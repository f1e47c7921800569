import type { ImageDetail, JobProgress, RefineMethodView, TrimapView } from '../../../shared/contract';
import type { StudioClient } from '../../../shared/client';
import type { BrushStroke, BrushTool } from '../../../shared/strokes';
import { ApiCallError } from '../../../shared/errors';
import { leavesAlpha, neutralAdjustments, type OutputAdjustments } from '../../../shared/adjustments';
import { plainError } from '../lib/messages';
import { TrimapLayer } from './trimap-layer';
import { LivePreview, type LiveResult } from './live-preview';

export type EditorMode = 'edit' | 'compare';
export type CompareLayout = 'side' | 'split';
export type CompareBackground = 'checker' | 'colour' | 'image';

/**
 * The view modes of Photoshop's Select and Mask, in the order `V` cycles them. The first eight
 * show one picture you can paint on; the last two are the compare view's layouts.
 */
export const viewModes = ['trimap', 'overlay', 'black', 'white', 'colour', 'image', 'alpha', 'onion', 'side', 'split'] as const;
export type ViewMode = (typeof viewModes)[number];
export type PaintViewMode = Exclude<ViewMode, CompareLayout>;

export const viewModeLabels: Record<ViewMode, string> = {
  trimap: 'Trimap overlay',
  overlay: 'Overlay (tinted background)',
  black: 'On black',
  white: 'On white',
  colour: 'On a colour',
  image: 'On an image',
  alpha: 'Black & white (alpha)',
  onion: 'Onion skin',
  side: 'Side by side',
  split: 'Split',
};

function isCompareLayout(mode: ViewMode): mode is CompareLayout {
  return mode === 'side' || mode === 'split';
}

const MIN_ZOOM = 0.02;
const MAX_ZOOM = 32;
const AUTO_REFINE_DELAY_MS = 1200;
const ADJUST_SAVE_DELAY_MS = 250;
/** `+`/`-` stops, as screen pixels per image pixel. */
const ZOOM_LADDER = [1 / 16, 1 / 12, 1 / 8, 1 / 6, 1 / 4, 1 / 3, 1 / 2, 2 / 3, 1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32];

/**
 * The trimap editor's state and actions. Coordinates: the view shows the preview (at most
 * 4096 px on the long side) scaled by `zoom` and shifted by `panX/panY` screen pixels; strokes are
 * stored in full-resolution image pixels (`previewScale` = preview px per image px).
 */
export class EditorManager {
  detail = $state<ImageDetail | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  tool = $state<Exclude<BrushTool, never>>('fg');
  /** Brush radius in full-resolution image pixels. */
  radius = $state(24);
  hardness = $state(1);
  overlayOpacity = $state(0.55);
  overlayVisible = $state(true);
  zoom = $state(1);
  panX = $state(0);
  panY = $state(0);
  viewWidth = $state(0);
  viewHeight = $state(0);
  mode = $state<EditorMode>('edit');
  compareLayout = $state<CompareLayout>('side');
  compareBackground = $state<CompareBackground>('checker');
  compareColour = $state('#3a7bd5');
  compareImageUrl = $state<string | null>(null);
  split = $state(50);
  /** What the painting view shows (the compare view has its own layouts). */
  paintView = $state<PaintViewMode>('trimap');
  /** Onion skin: how much of the original shows through where the result is transparent. */
  onionOpacity = $state(0.5);
  /** The automatic trimap's band width (the studio-wide `bandPercent` setting; 1 is the default width, 2 twice as wide). */
  bandPercent = $state<number | null>(null);
  /** The next click on the canvas picks the subject to keep (instead of painting). */
  picking = $state(false);
  /** Held `P`: the original photo alone. */
  showOriginal = $state(false);
  autoRefine = $state(true);
  /** The refinement method, as image.open names it (the setting's default until the user picks another). */
  method = $state('');
  methods = $state<RefineMethodView[]>([]);
  refineJob = $state<JobProgress | null>(null);
  pendingSaves = $state(0);
  /** Strokes the engine did not get (it was unreachable): sent again, in order, when it is back. */
  unsaved = $state.raw<{ imageId: number; stroke: BrushStroke }[]>([]);
  /**
   * What the result view modes show: the live preview's cut-out while painting, the full
   * refinement's URL once it has come back. A stroke does not clear it: the last result stays on
   * screen until the next one arrives.
   */
  result = $state.raw<string | ImageData | null>(null);
  /** This image's output adjustments: shown live in the result views, stored per image, applied by export. */
  adjustments = $state<OutputAdjustments>({ ...neutralAdjustments });
  /** Worker time of the last live preview, for the status bar. */
  liveMs = $state<number | null>(null);
  /** Bumped when the trimap layer has new pixels, so views can re-render. */
  layerVersion = $state(0);

  readonly layer = new TrimapLayer();
  readonly trimap = $derived<TrimapView | null>(this.detail?.trimap ?? null);
  readonly previewScale = $derived(this.detail ? this.detail.preview.width / this.detail.image.width : 1);
  /** Screen pixels per full-resolution image pixel: 1 is "100 %". */
  readonly actualZoom = $derived(this.zoom * this.previewScale);
  /** The live preview runs while a result is on screen (not over the trimap view, whose painting it would only slow). */
  readonly livePreviewOn = $derived(this.mode === 'edit' && this.paintView !== 'trimap');
  readonly adjustmentsNeutral = $derived(leavesAlpha(this.adjustments) && this.adjustments.decontaminate === neutralAdjustments.decontaminate);
  readonly viewMode = $derived<ViewMode>(this.mode === 'compare' ? this.compareLayout : this.paintView);
  readonly refining = $derived(this.refineJob !== null && (this.refineJob.state === 'running' || this.refineJob.state === 'queued'));

  private stroke: BrushStroke | null = null;
  /** Jobs that ended before their id came back from image.refine (a fast job can beat its reply). Not UI state. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly endedJobs = new Map<number, JobProgress>();
  private queue: Promise<unknown> = Promise.resolve();
  private autoTimer: ReturnType<typeof setTimeout> | undefined;
  private adjustTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly offs: (() => void)[] = [];
  private readonly preview = new LivePreview((live) => this.showLive(live));

  constructor(private readonly api: StudioClient, private readonly onError: (message: string) => void) {
    this.offs.push(
      api.on('job.progress', (p) => {
        if (p.jobId === this.refineJob?.jobId) this.refineJob = p;
      }),
      api.on('job.done', (p) => {
        if (p.jobId !== this.refineJob?.jobId) {
          this.endedJobs.set(p.jobId, p);
          if (this.endedJobs.size > 20) this.endedJobs.delete(this.endedJobs.keys().next().value!);
          return;
        }
        this.refineJob = p;
        if (p.state === 'failed') this.onError(`Refinement failed: ${p.message ?? 'unknown error'}`);
        if (this.detail) void this.reload(this.detail.image.id);
      }),
    );
  }

  dispose(): void {
    clearTimeout(this.autoTimer);
    this.preview.dispose();
    for (const off of this.offs) off();
  }

  async open(imageId: number): Promise<void> {
    this.loading = true;
    this.error = null;
    // Another photo: nothing of the last one stays on screen while this one loads, and no stroke
    // can land on it (under load a stroke painted in that moment went to the previous photo).
    if (this.detail?.image.id !== imageId) {
      this.detail = null;
      this.result = null;
    }
    this.mode = 'edit';
    this.refineJob = null;
    try {
      void this.api.call('settings.get', {}).then(
        (settings) => (this.bandPercent = settings.bandPercent),
        () => undefined,
      );
      void this.api.call('adjustments.get', { imageId }).then(
        (adjustments) => (this.adjustments = adjustments),
        () => (this.adjustments = { ...neutralAdjustments }),
      );
      const [detail, models] = await Promise.all([this.api.call('image.open', { imageId }), this.api.call('models.list', {})]);
      this.methods = models.methods;
      // The engine answers with the default method; from here on every request names the editor's choice.
      this.method = detail.method;
      await this.layer.load(this.api.mediaUrl(detail.trimap.ref), this.api.mediaUrl(detail.trimap.autoRef));
      this.detail = detail;
      this.result = detail.cutout ? this.api.mediaUrl(detail.cutout) : null;
      this.liveMs = null;
      this.layerVersion++;
      void this.preview.setImage(this.api.mediaUrl(detail.preview.ref)).then(() => {
        if (this.livePreviewOn && !this.detail?.cutout) this.requestLive();
      }, () => undefined);
      // A sensible default brush: 2 % of the long side.
      this.radius = Math.max(2, Math.round(Math.max(detail.image.width, detail.image.height) * 0.02));
    } catch (err) {
      this.error = plainError(err);
      this.onError(this.error);
    } finally {
      this.loading = false;
    }
  }

  private async reload(imageId: number): Promise<void> {
    const detail = await this.api.call('image.open', { imageId, method: this.method });
    if (this.detail?.image.id !== imageId) return;
    this.detail = detail;
    // The full refinement replaces the live preview (and any preview still on its way).
    if (detail.cutout) {
      this.preview.invalidate();
      this.result = this.api.mediaUrl(detail.cutout);
    }
  }

  /** Runs trimap operations one after another, in the order the user made them. */
  private enqueue<T>(op: () => Promise<T>): Promise<T | undefined> {
    this.pendingSaves++;
    const next = this.queue.then(op).catch((err: unknown) => {
      this.onError(`Could not save the trimap: ${plainError(err)}`);
      return undefined;
    });
    this.queue = next.finally(() => this.pendingSaves--);
    return next;
  }

  private applyTrimapView(view: TrimapView | undefined): void {
    if (view && this.detail) this.detail = { ...this.detail, image: { ...this.detail.image, status: view.imageStatus }, trimap: view, cutout: null };
  }

  // --- painting -----------------------------------------------------------------------------

  beginStroke(x: number, y: number, eventTime: number): void {
    if (!this.detail) return;
    this.stroke = { tool: this.tool, radius: this.radius, hardness: this.hardness, points: [[x, y]] };
    this.paintSegment([[x, y]], eventTime);
  }

  extendStroke(x: number, y: number, eventTime: number): void {
    const stroke = this.stroke;
    if (!stroke) return;
    const last = stroke.points[stroke.points.length - 1];
    // Skip moves under one preview pixel: they change nothing on screen or in the saved trimap.
    if (Math.hypot(x - last[0], y - last[1]) * this.previewScale < 1) return;
    stroke.points.push([x, y]);
    this.paintSegment([last, [x, y]], eventTime);
  }

  endStroke(): void {
    const stroke = this.stroke;
    this.stroke = null;
    if (!stroke || !this.detail) return;
    const imageId = this.detail.image.id;
    if (this.livePreviewOn) this.requestLive();
    // Behind unsaved strokes a new one waits its turn: the history keeps the order they were painted in.
    if (this.unsaved.length) this.unsaved = [...this.unsaved, { imageId, stroke }];
    else void this.sendStroke(imageId, stroke);
  }

  private sendStroke(imageId: number, stroke: BrushStroke): Promise<TrimapView | undefined> {
    return this.enqueue(async () => {
      try {
        return await this.api.call('trimap.stroke', { imageId, stroke });
      } catch (err) {
        if (!(err instanceof ApiCallError && err.code === 'ENGINE_UNAVAILABLE')) throw err;
        this.unsaved = [...this.unsaved, { imageId, stroke }];
        return undefined;
      }
    }).then((view) => {
      if (view && this.detail?.image.id === imageId) {
        this.applyTrimapView(view);
        this.scheduleAutoRefine();
      }
      return view;
    });
  }

  /** After the connection came back: sends the strokes it missed, then reads the image again. */
  async resync(): Promise<void> {
    const waiting = this.unsaved;
    this.unsaved = [];
    for (const [i, { imageId, stroke }] of waiting.entries()) {
      await this.sendStroke(imageId, stroke);
      // Unreachable again: keep the rest, in order, for the next return.
      if (this.unsaved.length) {
        this.unsaved = [...this.unsaved, ...waiting.slice(i + 1)];
        return;
      }
    }
    if (this.detail) await this.reload(this.detail.image.id).catch(() => undefined);
  }

  private paintSegment(points: [number, number][], eventTime: number): void {
    const stroke = this.stroke!;
    this.layer.paint({ ...stroke, points }, this.previewScale);
    // Input-to-pixels latency of this segment, read by bench/brush-latency.ts.
    requestAnimationFrame(() => performance.measure('stroke-segment', { start: eventTime, end: performance.now() }));
  }

  // --- history ------------------------------------------------------------------------------

  undo(): Promise<void> {
    return this.history('trimap.undo');
  }

  redo(): Promise<void> {
    return this.history('trimap.redo');
  }

  resetToAuto(): Promise<void> {
    return this.history('trimap.reset');
  }

  /** Subject selection: keeps the subject under a point (full-resolution image pixels), drops the rest; undoable. */
  keepSubjectAt(x: number, y: number): Promise<void> {
    this.picking = false;
    if (!this.detail) return Promise.resolve();
    const { width, height } = this.detail.image;
    const point = { x: Math.min(width - 1, Math.max(0, x)), y: Math.min(height - 1, Math.max(0, y)) };
    return this.history((imageId) => this.api.call('trimap.keepSubject', { imageId, ...point }));
  }

  /** Runs an operation that replaces the trimap (undo, redo, reset, subject selection) and shows its result. */
  private async history(op: 'trimap.undo' | 'trimap.redo' | 'trimap.reset' | ((imageId: number) => Promise<TrimapView>)): Promise<void> {
    if (!this.detail) return;
    const imageId = this.detail.image.id;
    const view = await this.enqueue(() => (typeof op === 'string' ? this.api.call(op, { imageId }) : op(imageId)));
    if (!view || this.detail?.image.id !== imageId) return;
    await this.layer.load(this.api.mediaUrl(view.ref), this.api.mediaUrl(view.autoRef));
    this.applyTrimapView(view);
    this.layerVersion++;
    if (this.livePreviewOn) this.requestLive();
    this.scheduleAutoRefine();
  }

  /**
   * A wider or narrower automatic band: the setting changes for every photo, and this one's
   * automatic trimap is made again under the strokes already painted.
   */
  async setBandPercent(scale: number): Promise<void> {
    if (!this.detail || !(scale >= 0.1 && scale <= 25)) return;
    const imageId = this.detail.image.id;
    await this.queue;
    try {
      this.bandPercent = (await this.api.call('settings.set', { bandPercent: scale })).bandPercent;
      const detail = await this.api.call('image.open', { imageId, method: this.method });
      if (this.detail?.image.id !== imageId) return;
      await this.layer.load(this.api.mediaUrl(detail.trimap.ref), this.api.mediaUrl(detail.trimap.autoRef));
      this.detail = detail;
      this.layerVersion++;
      if (this.livePreviewOn) this.requestLive();
      this.scheduleAutoRefine();
    } catch (err) {
      this.onError(plainError(err));
    }
  }

  // --- output adjustments -------------------------------------------------------------------

  /** Changes adjustments at once on screen; stores them when the slider rests (a save per drag, not per step). */
  adjust(patch: Partial<OutputAdjustments>): void {
    this.adjustments = { ...this.adjustments, ...patch };
    clearTimeout(this.adjustTimer);
    const imageId = this.detail?.image.id;
    if (imageId === undefined) return;
    const adjustments = $state.snapshot(this.adjustments);
    this.adjustTimer = setTimeout(() => void this.enqueue(() => this.api.call('adjustments.set', { imageId, adjustments })), ADJUST_SAVE_DELAY_MS);
  }

  resetAdjustments(): void {
    this.adjust({ ...neutralAdjustments });
  }

  // --- live preview -------------------------------------------------------------------------

  /** A fast preview of the alpha from the trimap as painted now. */
  requestLive(): void {
    const { width, height, labels, dirty } = this.layer.takeDirty();
    if (width) this.preview.request(width, height, labels, dirty);
  }

  private showLive(live: LiveResult): void {
    if (!this.livePreviewOn && this.result !== null) return;
    this.result = live.cutout;
    this.liveMs = Math.round(live.ms);
    // Stroke end → preview pixels on screen, read by bench/live-preview.ts.
    requestAnimationFrame(() => requestAnimationFrame(() => performance.measure('live-preview', { start: live.requestedAt, end: performance.now() })));
  }

  // --- refinement ---------------------------------------------------------------------------

  private scheduleAutoRefine(): void {
    clearTimeout(this.autoTimer);
    if (this.autoRefine) this.autoTimer = setTimeout(() => void this.refine(), AUTO_REFINE_DELAY_MS);
  }

  async refine(): Promise<void> {
    if (!this.detail) return;
    clearTimeout(this.autoTimer);
    await this.queue;
    if (this.refining && this.refineJob) await this.api.call('jobs.cancel', { jobId: this.refineJob.jobId }).catch(() => undefined);
    try {
      const imageId = this.detail.image.id;
      const { jobId } = await this.api.call('image.refine', { imageId, method: this.method });
      const ended = this.endedJobs.get(jobId);
      this.refineJob = ended ?? { jobId, kind: 'matte', state: 'queued', done: 0, failed: 0, total: 1 };
      if (ended) void this.reload(imageId);
    } catch (err) {
      this.onError(plainError(err));
    }
  }

  // --- view ---------------------------------------------------------------------------------

  setViewMode(mode: ViewMode): void {
    if (isCompareLayout(mode)) {
      this.compareLayout = mode;
      this.mode = 'compare';
    } else {
      this.paintView = mode;
      this.mode = 'edit';
      // A result mode with no result yet gets a preview at once.
      if (this.result === null && this.livePreviewOn) this.requestLive();
    }
  }

  /** A photo of the user's to show the result on (kept in the page: it never goes to the engine). */
  useBackgroundImage(file: File | undefined): void {
    if (!file) return;
    if (this.compareImageUrl) URL.revokeObjectURL(this.compareImageUrl);
    this.compareImageUrl = URL.createObjectURL(file);
  }

  /** `V`: the next view mode (Shift+V: the previous one). */
  cycleViewMode(step: 1 | -1 = 1): void {
    const at = viewModes.indexOf(this.viewMode);
    this.setViewMode(viewModes[(at + step + viewModes.length) % viewModes.length]);
  }
  // The views call these from event handlers and from effects wrapped in untrack(): an effect that
  // called fit() tracked `zoom` (fit reads it back after writing it), so every wheel step or `1`
  // re-ran the effect and snapped the view back to fit.

  /** The size of the pane the photo is shown in (the editor's canvas, or one compare pane). */
  setViewSize(width: number, height: number): void {
    this.viewWidth = width;
    this.viewHeight = height;
  }

  fit(): void {
    if (!this.detail || !this.viewWidth || !this.viewHeight) return;
    const { width, height } = this.detail.preview;
    const zoom = Math.min(this.viewWidth / width, this.viewHeight / height) * 0.95;
    this.zoom = zoom;
    this.panX = (this.viewWidth - width * zoom) / 2;
    this.panY = (this.viewHeight - height * zoom) / 2;
  }

  /** 100 %: one screen pixel per full-resolution image pixel, centred on the view's middle. */
  actualSize(): void {
    this.zoomAt(1 / this.previewScale / this.zoom, this.viewWidth / 2, this.viewHeight / 2);
  }

  /** `+` and `-`: the next step of Photoshop's ladder (…, 50 %, 66.7 %, 100 %, 200 %, 300 %, …) around the view's middle. */
  zoomStep(direction: 1 | -1): void {
    const now = this.actualZoom;
    const target =
      direction > 0 ? (ZOOM_LADDER.find((z) => z > now * 1.001) ?? ZOOM_LADDER[ZOOM_LADDER.length - 1]) : ([...ZOOM_LADDER].reverse().find((z) => z < now / 1.001) ?? ZOOM_LADDER[0]);
    this.zoomAt(target / now, this.viewWidth / 2, this.viewHeight / 2);
  }

  zoomAt(factor: number, cx: number, cy: number): void {
    const zoom = this.zoom;
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom * factor));
    const k = next / zoom;
    this.panX = cx - (cx - this.panX) * k;
    this.panY = cy - (cy - this.panY) * k;
    this.zoom = next;
  }

  panBy(dx: number, dy: number): void {
    this.panX += dx;
    this.panY += dy;
  }

  /** Screen point (relative to the view) to full-resolution image pixels. */
  toImage(sx: number, sy: number): [number, number] {
    return [(sx - this.panX) / this.zoom / this.previewScale, (sy - this.panY) / this.zoom / this.previewScale];
  }

  resizeBrush(factor: number): void {
    this.radius = Math.max(1, Math.min(2000, Math.round(this.radius * factor) + (factor > 1 ? 1 : 0)));
  }

  changeHardness(delta: number): void {
    this.hardness = Math.round(Math.min(1, Math.max(0, this.hardness + delta)) * 100) / 100;
  }
}
