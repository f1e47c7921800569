/**
 * The desktop's own folder dialog for the studio page (project, import and export folders). Only
 * the studio's page may ask; the title and the starting folder are checked before the dialog
 * opens; the answer is the chosen path or null.
 */
import type { IpcMainLike } from './ipc';
import { IpcChannel } from '../shared/ipc-channels';

/** Shows the dialog (Electron's dialog.showOpenDialog in index.ts). */
export type ShowFolderDialog = (request: { title: string; start?: string }) => Promise<string | null>;

const MAX_TEXT = 4096;

export function setupFolderPicker(ipcMain: IpcMainLike, show: ShowFolderDialog, isTrustedUrl: (url: string) => boolean): void {
  ipcMain.handle(IpcChannel.pickFolder, async (event, request) => {
    if (!event.senderFrame || !isTrustedUrl(event.senderFrame.url)) return null;
    if (typeof request !== 'object' || request === null) return null;
    const { title, start } = request as { title?: unknown; start?: unknown };
    if (typeof title !== 'string' || title.length > MAX_TEXT) return null;
    if (start !== undefined && (typeof start !== 'string' || start.length > MAX_TEXT)) return null;
    return show(start ? { title, start } : { title });
  });
}
