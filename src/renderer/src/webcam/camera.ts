/** Camera access for the webcam page: listing, opening, and plain-language failures. */

export interface CameraInfo {
  deviceId: string;
  label: string;
}

export const resolutions = [
  { id: '320x240', width: 320, height: 240 },
  { id: '640x480', width: 640, height: 480 },
  { id: '1280x720', width: 1280, height: 720 },
] as const;
export type ResolutionId = (typeof resolutions)[number]['id'];

export type CameraProblem = 'unsupported' | 'refused' | 'absent' | 'busy' | 'unplugged' | 'failed';

export class CameraError extends Error {
  constructor(
    readonly problem: CameraProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CameraError';
  }
}

export const problemTitles: Record<CameraProblem, string> = {
  unsupported: 'Camera not available here',
  refused: 'Camera access refused',
  absent: 'No camera found',
  busy: 'Camera in use',
  unplugged: 'Camera disconnected',
  failed: 'Camera failed',
};

/** Turns getUserMedia's DOMExceptions into a problem and a sentence a person can act on. */
export function explainCameraError(err: unknown): CameraError {
  if (err instanceof CameraError) return err;
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CameraError('refused', 'The camera permission was denied. Allow the camera for this page (site settings, or the system privacy settings), then try again.');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new CameraError('absent', 'No camera was found. Connect a camera, then try again.');
    case 'NotReadableError':
    case 'AbortError':
      return new CameraError('busy', 'The camera could not be started: another application may be using it.');
    default:
      return new CameraError('failed', `The camera could not be started${err instanceof Error ? `: ${err.message}` : '.'}`);
  }
}

export async function listCameras(): Promise<CameraInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

export async function openCamera(deviceId: string | null, width: number, height: number): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError('unsupported', 'This page cannot use a camera (it needs a secure page in a browser with camera support).');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: 30 } },
    });
  } catch (err) {
    throw explainCameraError(err);
  }
}
