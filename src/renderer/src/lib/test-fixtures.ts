import type { ImageStatus, ImageView } from '../../../shared/contract';

/** An image as the engine would send it, for the rune managers' tests. */
export function imageView(id: number, status: ImageStatus): ImageView {
  return {
    id,
    relPath: `p${id}.jpg`,
    width: 10,
    height: 10,
    format: 'jpeg',
    status,
    addedAt: '2026-01-01T00:00:00Z',
    thumb: `thumb/${id}`,
    original: `original/${id}`,
  };
}
