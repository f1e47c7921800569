/** The semantic model the studio and the command line use unless told otherwise (a manifest in models/). */
export const DEFAULT_SEMANTIC_MODEL = 'selfie-general';
