import path from 'node:path';
import { z } from 'zod';
import { executionProviders } from '../../shared/vocabulary';
import { defaultRefinementMethod } from '../matting/alpha/methods';
import { DEFAULT_SEMANTIC_MODEL } from '../models/defaults';
import { readJsonFile, writeJsonFileSync } from './json-file';

export const AppSettingsSchema = z.object({
  executionProvider: z.enum(executionProviders).catch('auto').default('auto'),
  semanticModel: z.string().catch(DEFAULT_SEMANTIC_MODEL).default(DEFAULT_SEMANTIC_MODEL),
  refineMethod: z.string().catch(defaultRefinementMethod).default(defaultRefinementMethod),
  maxMegapixels: z.number().positive().catch(100).default(100),
  decontaminate: z.boolean().catch(true).default(true),
  /** Erode/dilate radius of automatic trimaps, in % of the longer side (the unknown band is about twice as wide). */
  bandPercent: z.number().min(0.1).max(25).catch(1).default(1),
  /** Refinement working-resolution cap in megapixels; absent: each method's measured default. */
  workingMegapixels: z.number().positive().max(1000).optional().catch(undefined),
  /** Python for the trainer; absent: SHM_PYTHON, else /usr/bin/python3 where it exists, else python3. */
  pythonPath: z.string().min(1).optional().catch(undefined),
});
export type AppSettings = z.infer<typeof AppSettingsSchema>;

export const SETTINGS_FILE = 'settings.json';

/** App settings in `<appDataDir>/settings.json`; unknown or damaged values fall back to defaults one by one. */
export class AppSettingsStore {
  readonly file: string;

  constructor(appDataDir: string) {
    this.file = path.join(appDataDir, SETTINGS_FILE);
  }

  get(): AppSettings {
    const raw = readJsonFile(this.file);
    return AppSettingsSchema.parse(raw && typeof raw === 'object' ? raw : {});
  }

  update(patch: Partial<AppSettings>): AppSettings {
    const next = AppSettingsSchema.parse({ ...this.get(), ...patch });
    writeJsonFileSync(this.file, next);
    return next;
  }
}
