/** Default pixel limit for inputs: 100 megapixels, above any camera the studio targets. */
export const DEFAULT_MAX_PIXELS = 100_000_000;
/**
 * The most pixels the decoder reads: libvips (under sharp) refuses images over 16383 × 16383 =
 * 268,402,689 pixels (about 268 MP), and by then a decode holds over 12 GB. Larger limits are refused.
 */
export const MAX_DECODABLE_PIXELS = 16383 * 16383;
