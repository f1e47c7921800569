import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFileSync } from './json-file';

const RecentSchema = z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.string() }));
export type RecentProject = z.infer<typeof RecentSchema>[number];

export const MAX_RECENT = 12;
export const RECENT_FILE = 'recent-projects.json';

/** Recently opened projects, newest first, in `<appDataDir>/recent-projects.json`; the caller chooses the folder. */
export class RecentProjects {
  readonly file: string;

  constructor(appDataDir: string) {
    this.file = path.join(appDataDir, RECENT_FILE);
  }

  list(): RecentProject[] {
    const parsed = RecentSchema.safeParse(readJsonFile(this.file));
    return parsed.success ? parsed.data : [];
  }

  touch(dir: string, name: string): RecentProject[] {
    const abs = path.resolve(dir);
    const next = [{ path: abs, name, openedAt: new Date().toISOString() }, ...this.list().filter((r) => r.path !== abs)].slice(0, MAX_RECENT);
    writeJsonFileSync(this.file, next);
    return next;
  }

  remove(dir: string): RecentProject[] {
    const abs = path.resolve(dir);
    const next = this.list().filter((r) => r.path !== abs);
    writeJsonFileSync(this.file, next);
    return next;
  }
}
