import type { ImportSkip, JobProgress } from '../../../shared/contract';
import { ApiCallError } from '../../../shared/errors';

/**
 * What the studio tells people, in plain words: no error codes, no library names. Codes stay in
 * the errors for code to branch on; these functions choose what a person reads.
 */

/** Files that travel with photos (editor sidecars, notes, system files): skipped on import without a word each. */
const COMPANION_FILE = /(\.(xmp|txt|json|xml|aae|thm|pp3|dop|ini|db|ds_store)$)|(^|[\\/])(thumbs\.db|desktop\.ini|\.ds_store)$/i;

export function isCompanionFile(path: string): boolean {
  return COMPANION_FILE.test(path);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

const jobLabels: Record<string, string> = { import: 'Import', export: 'Export', matte: 'Refinement', train: 'Training' };

export function jobLabel(kind: string): string {
  return jobLabels[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** An error as a sentence a person can act on. */
export function plainError(err: unknown): string {
  if (err instanceof ApiCallError && err.code === 'ENGINE_UNAVAILABLE') return 'The studio engine is not reachable right now; the studio reconnects by itself.';
  return err instanceof Error ? err.message : String(err);
}

/** One notice for a whole import: what came in, what was already there, what was left out and why. */
export function importSummary(job: JobProgress & { skipped?: ImportSkip[] }): { kind: 'info' | 'error'; text: string } {
  if (job.state === 'failed') return { kind: 'error', text: `The import stopped: ${job.message ?? 'something went wrong'}` };
  const skipped = job.skipped ?? [];
  const companions = skipped.filter((s) => isCompanionFile(s.path));
  const problems = skipped.filter((s) => !isCompanionFile(s.path));
  const counts = /(\d+) imported, (\d+) duplicates/.exec(job.message ?? '');
  const parts: string[] = [];
  if (counts) {
    const [imported, duplicates] = [Number(counts[1]), Number(counts[2])];
    parts.push(`${imported} ${imported === 1 ? 'photo' : 'photos'} imported`);
    if (duplicates) parts.push(`${duplicates} already in the project`);
  }
  if (companions.length) parts.push(`${companions.length} sidecar or system ${companions.length === 1 ? 'file' : 'files'} left out`);
  if (job.state === 'cancelled') parts.push('stopped before the end');
  let text = parts.length ? `Import: ${parts.join(', ')}.` : 'Import finished.';
  if (problems.length) {
    const names = problems.slice(0, 3).map((s) => baseName(s.path));
    const more = problems.length > names.length ? ` and ${problems.length - names.length} more` : '';
    text += ` ${problems.length} ${problems.length === 1 ? 'file could' : 'files could'} not be read as ${problems.length === 1 ? 'a photo' : 'photos'}: ${names.join(', ')}${more}.`;
  }
  return { kind: problems.length ? 'error' : 'info', text };
}
