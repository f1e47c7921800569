import path from 'node:path';
import { parseMediaRef } from '../../shared/contract';
import type { StudioContext } from './context';
import { cacheFileInside, regularFile } from '../media/served-file';

export interface MediaFile {
  file: string;
  mime: string;
}

const mimeByExt: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp',
  '.avif': 'image/avif', '.gif': 'image/gif', '.tif': 'image/tiff', '.tiff': 'image/tiff',
};

/** Media references (`thumb/12`, `cutout/12/guided?v=…`) to files of the open project; null for anything else. */
export function setupMedia(ctx: StudioContext): (ref: string) => Promise<MediaFile | null> {
  return async (ref) => {
    const parsed = parseMediaRef(ref);
    const s = ctx.session;
    if (!parsed || !s) return null;
    if (parsed.kind === 'report') {
      // A training job's montage: a regular file inside the project's training folder, never through a link.
      const montage = s.training.montageFile(parsed.id);
      const real = montage ? await cacheFileInside(s.training.runsDir, montage) : null;
      return real ? { file: real, mime: 'image/png' } : null;
    }
    const image = s.project.getImage(parsed.id);
    if (!image) return null;
    let file: string | null;
    switch (parsed.kind) {
      case 'thumb':
        file = await s.project.thumbnailFile(image.id);
        break;
      case 'original':
        file = s.project.originalFile(image.id);
        break;
      case 'preview':
        file = await s.media.previewFile(image.id);
        break;
      case 'trimap':
        file = await s.media.trimapFile(image.id);
        break;
      case 'auto':
        file = await s.media.autoTrimapFile(image.id);
        break;
      case 'cutout': {
        // The reference names its method: the answer never depends on the global setting of the moment.
        const full = s.cutoutFor(image.id, parsed.method ?? ctx.settings().refineMethod);
        file = full ? await s.media.cutoutFile(image.id, full) : null;
        break;
      }
    }
    if (!file) return null;
    // Never through a link planted in the cache, never a FIFO or device (see served-file.ts).
    const real = parsed.kind === 'original' ? await regularFile(file) : await cacheFileInside(s.project.cacheDir, file);
    return real ? { file: real, mime: mimeByExt[path.extname(file).toLowerCase()] ?? 'application/octet-stream' } : null;
  };
}
