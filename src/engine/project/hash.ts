import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Hashes a file as it streams; an abort stops the read at the next chunk (an AbortError). */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
