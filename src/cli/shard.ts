import { createHash } from 'node:crypto';
import { mirroredName } from '../engine/export/paths';
import { UsageError } from './errors';

/** Shard K of N (0 <= K < N): the slice of a folder one process of a split run takes. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `K/N`, K counted from 0 like a Kubernetes completion index or `seq 0 $((N-1))`. */
export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 0 && index < count && Number.isSafeInteger(count))) {
    throw new UsageError(`--shard must be K/N with 0 <= K < N (e.g. 0/3, 1/3, 2/3), got ${spec}`);
  }
  return { index, count };
}

/**
 * Which shard an input belongs to: a hash of its output name (its path relative to the folder
 * given, extension dropped), so the split is the same on every machine and every run, whatever
 * the order of the scan, and inputs that would write the same output (a.jpg, a.png) meet in one
 * process, where the export already keeps them apart.
 */
export function shardOf(relPath: string, count: number): number {
  return createHash('sha256').update(mirroredName(relPath)).digest().readUInt32BE(0) % count;
}

export function inShard(relPath: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(relPath, shard.count) === shard.index;
}
