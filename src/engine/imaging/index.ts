export { ImageError, type ImageErrorCode } from './errors';
export { DEFAULT_MAX_PIXELS } from './limits';
export { probeImage, decodeRgb, decodeGrey, normalisedPipeline, type RgbImage, type ImageInfo, type DecodeOptions } from './decode';
export { encodeRgbaPng, encodeGreyPng, encodeRgbPng } from './encode';
export { writeFileAtomic, explainWriteError, tempNameFor, nodeWriteFs, WriteError, type WriteFs, type WriteErrorCode } from './atomic-write';
