import type { ImageView } from '../../shared/contract';
import type { ImageRecord } from '../project';

/** An image as the windows see it: no file paths, media by reference. */
export function toImageView(image: ImageRecord): ImageView {
  return {
    id: image.id,
    relPath: image.relPath,
    width: image.width,
    height: image.height,
    format: image.format,
    status: image.status,
    ...(image.error ? { error: image.error } : {}),
    addedAt: image.addedAt,
    thumb: `thumb/${image.id}`,
    original: `original/${image.id}`,
  };
}
