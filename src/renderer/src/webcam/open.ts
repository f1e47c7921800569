/**
 * Opens the webcam window from the studio: its own BrowserWindow in Electron (through the
 * preload), the `/webcam` route in a new browser window in browser mode.
 */
export function openWebcamWindow(): void {
  const bridge = (globalThis as { shm?: { webcam?: { openWindow(): void } } }).shm?.webcam;
  if (bridge) bridge.openWindow();
  else window.open('/webcam', 'shm-webcam', 'popup,width=1000,height=760');
}
