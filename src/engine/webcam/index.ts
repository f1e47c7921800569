/**
 * Live webcam matting: the page sends RGBA frames (src/shared/webcam.ts), the engine answers each
 * with an alpha byte per pixel. By default segmentation with the landscape selfie model, temporal
 * smoothing, guided-filter refinement at frame resolution; or, chosen in the window, a trained SHM
 * pair (T-Net → M-Net → fusion) at a reduced input size (pair-stage.ts). No Electron.
 */
export { WebcamProcessor, webcamProcessorDefaults, WEBCAM_MODEL_ID, type ProcessedFrame, type WebcamProcessorOptions } from './processor';
export { TemporalSmoother, smoothingDefaults, type SmoothingOptions } from './smoothing';
export { WorkerWebcamEngine, type EngineFrame, type WebcamEngineOptions } from './engine';
export { WebcamSession, type FrameEngine, type Snapshot, type SnapshotSink } from './session';
export { writeSnapshotFiles, snapshotDirFor, type SnapshotFiles } from './snapshot';
export { StreamSlots, MAX_WEBCAM_SESSIONS, tooManyStreamsNotice, tooManyStreamsText } from './session-limit';
export { serveWebcamPort, attachWebcamPorts, type FramePort, type PortCarrier, type WebcamHooks } from './port-host';
export { studioProvider, studioSnapshotSink } from './studio-hooks';
export { listWebcamPairs, webcamModelOptions, autoModelOption, AUTO_MODEL_LABEL, type WebcamPair } from './pairs';
export type { PairCatalog } from './session';
