/** Electron IPC channel names, shared by main and preload. */
export const IpcChannel = {
  call: 'shm:call',
  event: 'shm:event',
} as const;

/** Custom scheme that serves project media to Electron windows. */
export const MEDIA_SCHEME = 'shm-media';
