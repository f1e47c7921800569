import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { previewSize } from '../../shared/contract';
import { writeFileAtomic } from '../imaging/atomic-write';
import type { Project } from '../project';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Browser-readable copies of a project's pictures at the editor's preview resolution, cached in
 * `cache/previews/` (re-creatable). File names carry what they depend on, so a changed trimap or
 * cut-out is a new file and a stale one is never served.
 */
export class ProjectMedia {
  private readonly dir: string;
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly project: Project) {
    this.dir = path.join(project.cacheDir, 'previews');
  }

  previewSizeOf(imageId: number): { width: number; height: number; scale: number } {
    const image = this.project.requireImage(imageId);
    return previewSize(image.width, image.height);
  }

  /** The original, EXIF-oriented, as JPEG at preview size (TIFF, AVIF, 16-bit... all become viewable). */
  previewFile(imageId: number): Promise<string> {
    const image = this.project.requireImage(imageId);
    const size = previewSize(image.width, image.height);
    return this.cached(`preview-${imageId}-${size.width}x${size.height}.jpg`, async () =>
      sharp(image.sourcePath, { limitInputPixels: false }).rotate().resize(size.width, size.height, { fit: 'fill' }).flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer(),
    );
  }

  /** The trimap at the cursor (automatic + edits), nearest-neighbour at preview size; null before the automatic one exists. */
  async trimapFile(imageId: number): Promise<string | null> {
    const revision = this.project.trimaps.revision(imageId);
    const name = `trimap-${imageId}-${shortHash(revision)}.png`;
    if (fs.existsSync(path.join(this.dir, name))) return path.join(this.dir, name);
    const auto = await this.project.trimaps.loadAuto(imageId);
    if (!auto) return null;
    return this.cached(name, async () => this.greyPreview(imageId, await this.project.trimaps.render(imageId, auto)));
  }

  /** The automatic trimap alone at preview size; null before it exists. */
  async autoTrimapFile(imageId: number): Promise<string | null> {
    const auto = await this.project.trimaps.loadAuto(imageId);
    if (!auto) return null;
    const revision = this.project.trimaps.revision(imageId).split('/')[0];
    return this.cached(`auto-${imageId}-${shortHash(revision)}.png`, () => this.greyPreview(imageId, auto));
  }

  private greyPreview(imageId: number, full: Uint8Array): Promise<Buffer> {
    const image = this.project.requireImage(imageId);
    const size = previewSize(image.width, image.height);
    return sharp(full, { raw: { width: image.width, height: image.height, channels: 1 }, limitInputPixels: false })
      .resize(size.width, size.height, { kernel: 'nearest', fit: 'fill' })
      .toColourspace('b-w')
      .png({ compressionLevel: 6 })
      .toBuffer();
  }

  /** A cached full-resolution RGBA cut-out, scaled to preview size. */
  cutoutFile(imageId: number, fullCutout: string): Promise<string> {
    const size = this.previewSizeOf(imageId);
    return this.cached(`cutout-${imageId}-${shortHash(fullCutout)}.png`, async () =>
      sharp(fullCutout, { limitInputPixels: false }).resize(size.width, size.height, { fit: 'fill' }).png({ compressionLevel: 6 }).toBuffer(),
    );
  }

  /** One render per name at a time; the file is written atomically so readers never see half of it. */
  private cached(name: string, render: () => Promise<Buffer>): Promise<string> {
    const file = path.join(this.dir, name);
    if (fs.existsSync(file)) return Promise.resolve(file);
    let pending = this.inflight.get(name);
    if (!pending) {
      pending = (async () => {
        fs.mkdirSync(this.dir, { recursive: true });
        await writeFileAtomic(file, await render());
        return file;
      })().finally(() => this.inflight.delete(name));
      this.inflight.set(name, pending);
    }
    return pending;
  }
}
