/**
 * Live webcam matting: the page sends RGBA frames (src/shared/webcam.ts), the engine answers each
 * with an alpha byte per pixel. Segmentation with the landscape selfie model, temporal smoothing,
 * guided-filter refinement at frame resolution. No Electron.
 */
export { WebcamProcessor, webcamProcessorDefaults, WEBCAM_MODEL_ID, type ProcessedFrame, type WebcamProcessorOptions } from './processor';
export { TemporalSmoother, smoothingDefaults, type SmoothingOptions } from './smoothing';
export { WorkerWebcamEngine, type EngineFrame, type WebcamEngineOptions } from './engine';
export { WebcamSession, type FrameEngine, type Snapshot, type SnapshotSink } from './session';
export { writeSnapshotFiles, snapshotDirFor, type SnapshotFiles } from './snapshot';
export { StreamSlots, MAX_WEBCAM_SESSIONS, tooManyStreamsNotice, tooManyStreamsText } from './session-limit';
export { serveWebcamPort, attachWebcamPorts, type FramePort, type PortCarrier, type WebcamHooks } from './port-host';
export { studioProvider, studioSnapshotSink } from './studio-hooks';
