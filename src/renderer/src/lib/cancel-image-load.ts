/**
 * An attachment for `<img>` elements whose source the studio serves: when the element leaves the
 * page its load is cancelled. Chromium keeps loading (and, on a 404, reports to the console) an
 * image whose element was only removed; without a source the request loses its last reader and
 * is dropped. Closing a project while its import adds tiles relies on this: the tiles go at once,
 * and the thumbnails they had asked for must not come back as errors from a project now closed.
 */
export function cancelLoadOnRemove(img: HTMLImageElement): () => void {
  return () => img.removeAttribute('src');
}
