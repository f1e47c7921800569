import type { ModelView, Params, ProviderReportView, RefineMethodView, Settings } from '../../../shared/contract';
import type { StudioClient } from '../../../shared/client';
import { ApiCallError } from '../../../shared/errors';
import { plainError } from './messages';

export interface AddModelError {
  code: string;
  message: string;
  /** One line per problem (every mismatch between the graph and the manifest). */
  details: string[];
}

/**
 * The engine sends a model's problems as `details` (a list) or, for errors that carry them in
 * their message, as "message:\n- problem\n- problem". Either way the dialog lists them one a line.
 */
export function errorDetails(err: { message: string; details?: unknown }): { message: string; details: string[] } {
  const fromDetails = Array.isArray(err.details)
    ? err.details.map((d) => (typeof d === 'string' ? d : typeof d === 'object' && d && 'message' in d ? `${'path' in d && Array.isArray(d.path) && d.path.length ? `${d.path.join('.')}: ` : ''}${String(d.message)}` : JSON.stringify(d)))
    : [];
  const [head, ...rest] = err.message.split('\n- ');
  // The list replaces the message's own "…:" lead-in to it.
  return { message: head.replace(/:\s*$/, ''), details: fromDetails.length ? fromDetails : rest };
}

/** The settings dialog's state: settings, the model list, the provider report and adding a model. */
export class SettingsManager {
  settings = $state<Settings | null>(null);
  models = $state<ModelView[]>([]);
  methods = $state<RefineMethodView[]>([]);
  provider = $state<ProviderReportView | null>(null);
  providerError = $state<string | null>(null);
  loading = $state(false);
  saving = $state(false);
  error = $state<string | null>(null);
  addError = $state<AddModelError | null>(null);
  adding = $state(false);
  lastAdded = $state<ModelView | null>(null);
  private readonly offs: (() => void)[] = [];

  /** Models that make the automatic trimap: segmenters and T-Nets (a trained pair's `-tnet`). */
  readonly segmenters = $derived(this.models.filter((m) => m.role === 'segmenter' || m.role === 'trimap'));
  /** Trained pairs: T-Net and M-Net with the same training data. */
  readonly pairs = $derived(trainedPairs(this.models));
  /** Classical methods, then matting models (SHM M-Net, end-to-end) that can refine by id. */
  readonly refineChoices = $derived(refineChoices(this.methods, this.models));

  constructor(private readonly api: StudioClient) {
    this.offs.push(api.on('settings.changed', (s) => (this.settings = s)));
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const [settings, models] = await Promise.all([this.api.call('settings.get', {}), this.api.call('models.list', {})]);
      this.settings = settings;
      this.applyModels(models);
    } catch (err) {
      this.error = describe(err);
    } finally {
      this.loading = false;
    }
  }

  /** Saves one change at once (like a desktop app's preferences); a provider change re-reads the report. */
  async update(patch: Params<'settings.set'>): Promise<void> {
    this.saving = true;
    this.error = null;
    try {
      this.settings = await this.api.call('settings.set', patch);
      if (patch.executionProvider || patch.semanticModel) this.applyModels(await this.api.call('models.list', {}));
    } catch (err) {
      this.error = describe(err);
    } finally {
      this.saving = false;
    }
  }

  /** Adds a user ONNX model with its manifest; returns whether it was added. */
  async addModel(onnxPath: string, manifestText: string): Promise<boolean> {
    this.addError = null;
    this.lastAdded = null;
    let manifest: unknown;
    try {
      manifest = JSON.parse(manifestText);
    } catch (err) {
      this.addError = { code: 'MANIFEST_INVALID', message: 'The manifest is not valid JSON', details: [(err as Error).message] };
      return false;
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      this.addError = { code: 'MANIFEST_INVALID', message: 'The manifest must be a JSON object', details: [] };
      return false;
    }
    this.adding = true;
    try {
      return await this.modelCall(async () => {
        this.lastAdded = await this.api.call('models.add', { onnxPath: onnxPath.trim(), manifest: manifest as Record<string, unknown> });
      });
    } finally {
      this.adding = false;
    }
  }

  /** Deletes a user's model (a trained pair: both halves); the list and the settings follow. */
  async deleteModel(id: string): Promise<void> {
    await this.modelCall(async () => {
      await this.api.call('models.delete', { id });
      this.settings = await this.api.call('settings.get', {});
    });
  }

  /** Adds every exported model of a folder (training/export.py's output), training data included. */
  async importFolder(dir: string): Promise<boolean> {
    return this.modelCall(async () => {
      const { models } = await this.api.call('models.import', { dir: dir.trim() });
      this.lastAdded = models[0] ?? null;
    });
  }

  /** A trained pair as the automatic trimap (T-Net) and the refinement (M-Net), fused as in SHM. */
  async usePair(tnet: string, mnet: string): Promise<void> {
    await this.update({ semanticModel: tnet, refineMethod: mnet });
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private async modelCall(fn: () => Promise<void>): Promise<boolean> {
    this.addError = null;
    this.lastAdded = null;
    try {
      await fn();
      this.applyModels(await this.api.call('models.list', {}));
      return true;
    } catch (err) {
      if (err instanceof ApiCallError) this.addError = { code: err.code, ...errorDetails(err) };
      else this.addError = { code: 'ERROR', message: (err as Error).message, details: [] };
      return false;
    }
  }

  private applyModels(list: { models: ModelView[]; methods: RefineMethodView[]; provider: ProviderReportView | null; providerError?: string }): void {
    this.models = list.models;
    this.methods = list.methods;
    this.provider = list.provider;
    this.providerError = list.providerError ?? null;
  }
}

export interface TrainedPair {
  pairId: string;
  tnet: ModelView;
  mnet: ModelView;
}

export function trainedPairs(models: ModelView[]): TrainedPair[] {
  const pairs: TrainedPair[] = [];
  for (const tnet of models) {
    if (tnet.role !== 'trimap' || !tnet.training) continue;
    const mnet = models.find((m) => m.role === 'matting' && m.training?.pairId === tnet.training?.pairId);
    if (mnet) pairs.push({ pairId: tnet.training.pairId, tnet, mnet });
  }
  return pairs;
}

export function refineChoices(methods: RefineMethodView[], models: ModelView[]): { id: string; label: string; description: string }[] {
  const modelChoices = models
    .filter((m) => (m.role === 'matting' || m.role === 'end2end') && m.present)
    .map((m) => ({ id: m.id, label: m.name, description: `${m.role} model (${m.license})` }));
  return [...methods, ...modelChoices];
}

function describe(err: unknown): string {
  return plainError(err);
}

/** A manifest to start from in the "Add model" form: an SHM T-Net exported with the paper's recipe. */
export const manifestTemplate = `{
  "id": "my-shm-tnet",
  "name": "My SHM T-Net",
  "role": "trimap",
  "input": {
    "name": "input",
    "width": 320,
    "height": 320,
    "layout": "NCHW",
    "channelOrder": "BGR",
    "normalize": { "mean": [104, 112, 121], "std": [255, 255, 255] },
    "resize": "stretch"
  },
  "output": {
    "name": "output",
    "layout": "NCHW",
    "meaning": "trimap-logits",
    "activation": "softmax",
    "classes": ["background", "unknown", "foreground"]
  },
  "license": { "name": "MIT" },
  "preparation": { "method": "user-onnx" }
}`;
