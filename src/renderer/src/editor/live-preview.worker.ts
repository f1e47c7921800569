/**
 * The live preview's worker: guided refinement (the engine's own `guidedAlpha`, pure typed-array
 * code) of the photo at the preview's working size with the trimap as painted, off the page's
 * thread so painting never waits for it.
 */
import { guidedAlpha } from '../../../engine/matting/alpha/alpha-guided';
import { downscaleTrimap } from '../../../engine/matting/resample';
import type { RgbImage } from '../../../engine/imaging/raster';
import type { LivePreviewReply, LivePreviewRequest } from './live-preview-protocol';

let image: RgbImage | null = null;

self.onmessage = (event: MessageEvent<LivePreviewRequest>) => {
  const message = event.data;
  if (message.type === 'image') {
    image = { width: message.width, height: message.height, data: message.rgb };
    return;
  }
  if (!image) return;
  const start = performance.now();
  const { width, height } = image;
  const trimap = message.width === width && message.height === height ? message.labels : downscaleTrimap(message.labels, message.width, message.height, width, height);
  const alpha = guidedAlpha(image, trimap);
  const bytes = new Uint8ClampedArray(alpha.length);
  for (let i = 0; i < alpha.length; i++) bytes[i] = alpha[i] * 255 + 0.5;
  const reply: LivePreviewReply = { seq: message.seq, width, height, alpha: bytes, ms: performance.now() - start };
  (self as unknown as Worker).postMessage(reply, [bytes.buffer]);
};
