/** Electron IPC channel names, shared by main and preload. */
export const IpcChannel = {
  call: 'shm:call',
  event: 'shm:event',
  /** Studio → main: open (or focus) the webcam window. */
  webcamOpenWindow: 'shm:webcam-open-window',
  /** Webcam window → main: give me a frame channel to the engine. */
  webcamRequestPort: 'shm:webcam-request-port',
  /** Main → webcam window: the MessagePort of that channel. */
  webcamPort: 'shm:webcam-port',
  /** Studio → main: show the desktop's folder dialog; answers the chosen path or null. */
  pickFolder: 'shm:pick-folder',
} as const;

/** `type` of the window message by which the preload hands the webcam port to the page. */
export const WEBCAM_PORT_MESSAGE = 'shm:webcam-port';

/** Main → engine utilityProcess: a message whose `ports[0]` is a webcam frame channel. */
export const ENGINE_WEBCAM_PORT = 'webcam-port';

/** Custom scheme that serves project media to Electron windows. */
export const MEDIA_SCHEME = 'shm-media';
