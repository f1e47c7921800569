import { normalisedPipeline } from '../imaging/decode';

export const THUMBNAIL_SIZE = 256;

/** A JPEG no larger than THUMBNAIL_SIZE on its longer side; a full decode, so it also proves the file is sound. */
export async function makeThumbnail(source: string): Promise<Buffer> {
  return normalisedPipeline(source)
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82 })
    .toBuffer();
}
