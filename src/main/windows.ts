import path from 'node:path';
import { BrowserWindow, shell, type WebContents } from 'electron';
import { studioWebPreferences } from './web-preferences';

export interface WindowPaths {
  preload: string;
  rendererIndex: string;
  devServerUrl: string | undefined;
}

/** Denies every navigation away from the studio's page and every popup. */
export function lockDown(contents: WebContents, isTrustedUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function createStudioWindow(paths: WindowPaths, isTrustedUrl: (url: string) => boolean, route: '' | 'webcam' = ''): BrowserWindow {
  const window = new BrowserWindow({
    width: route ? 960 : 1400,
    height: route ? 720 : 900,
    show: false,
    title: route ? 'SHM Studio — Webcam' : 'SHM Studio',
    backgroundColor: '#1e1f22',
    webPreferences: studioWebPreferences(paths.preload),
  });
  lockDown(window.webContents, isTrustedUrl);
  window.once('ready-to-show', () => window.show());
  const hash = route ? `#/${route}` : '';
  if (paths.devServerUrl) void window.loadURL(paths.devServerUrl + hash);
  else void window.loadFile(path.resolve(paths.rendererIndex), route ? { hash: `/${route}` } : undefined);
  return window;
}
