/** Default pixel limit for inputs: 100 megapixels, above any camera the studio targets. */
export const DEFAULT_MAX_PIXELS = 100_000_000;
