/**
 * Electron main: lifecycle, windows, the IPC relay and the media protocol. No computation runs
 * here; the engine lives in a utilityProcess (engine-process.ts).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, app, dialog, ipcMain, utilityProcess, type UtilityProcess } from 'electron';
import { ENGINE_WEBCAM_PORT, IpcChannel } from '../shared/ipc-channels';
import { EngineClient } from './engine-client';
import { setupFolderPicker } from './folder-picker';
import { setupIpc, trustedUrlChecker } from './ipc';
import { registerMediaScheme, setupMediaProtocol } from './media-protocol';
import { setupSessionSecurity } from './security';
import { setupWebcam } from './webcam';
import { createStudioWindow, type WindowPaths } from './windows';

const here = path.dirname(fileURLToPath(import.meta.url));

app.enableSandbox();
registerMediaScheme();

const paths: WindowPaths = {
  preload: path.join(here, '../preload/index.cjs'),
  rendererIndex: path.join(here, '../renderer/index.html'),
  devServerUrl: !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined,
};
const isTrustedUrl = trustedUrlChecker(paths.devServerUrl, pathToFileURL(paths.rendererIndex).toString());

let engineProcess: UtilityProcess;

function startEngine(): EngineClient {
  const child = utilityProcess.fork(path.join(here, 'engine-process.js'), [], {
    serviceName: 'SHM Studio engine',
    env: { ...process.env, SHM_APP_DATA: app.getPath('userData') },
  });
  engineProcess = child;
  const client = new EngineClient({
    post: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', listener),
    kill: () => child.kill(),
  });
  client.onEvent((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IpcChannel.event, event, payload);
  });
  return client;
}

let engine: EngineClient;
const currentEngine = () => {
  // A crashed engine is restarted on the next call; the open project is reopened by the user.
  if (!engine.running) engine = startEngine();
  return engine;
};

void app.whenReady().then(() => {
  setupSessionSecurity();
  engine = startEngine();
  setupIpc(ipcMain, (method, params) => currentEngine().call(method, params), isTrustedUrl);
  setupMediaProtocol(currentEngine);
  setupFolderPicker(
    ipcMain,
    async ({ title, start }) => {
      const window = BrowserWindow.getFocusedWindow();
      const options = { title, properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[], ...(start ? { defaultPath: start } : {}) };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    isTrustedUrl,
  );
  setupWebcam({
    ipcMain,
    isTrustedUrl,
    createWindow: () => createStudioWindow(paths, isTrustedUrl, 'webcam'),
    postPortToEngine: (port) => {
      currentEngine();
      engineProcess.postMessage({ type: ENGINE_WEBCAM_PORT }, [port]);
    },
  });
  createStudioWindow(paths, isTrustedUrl);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createStudioWindow(paths, isTrustedUrl);
  });
});

app.on('window-all-closed', () => {
  engine?.shutdown();
  if (process.platform !== 'darwin') app.quit();
});
