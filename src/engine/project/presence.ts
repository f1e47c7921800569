import fs from 'node:fs';
import { ProjectError } from './errors';

/**
 * Notices that an open project's folder was deleted or moved: SQLite keeps writing to the open
 * (deleted) database file, so edits would be acknowledged and then lost, and cache writes would
 * recreate the folder without its database. Writers check first; once gone, the project stays gone.
 */
export class FolderPresence {
  private readonly identity: { dev: number; ino: number };
  private gone = false;

  constructor(
    private readonly dir: string,
    private readonly dbFile: string,
  ) {
    const st = fs.statSync(dbFile);
    this.identity = { dev: st.dev, ino: st.ino };
  }

  /** Throws PROJECT_NOT_FOUND once the database file is no longer where the project was opened. */
  check(): void {
    if (!this.gone) {
      const st = fs.statSync(this.dbFile, { throwIfNoEntry: false });
      this.gone = !st || st.dev !== this.identity.dev || st.ino !== this.identity.ino;
    }
    if (this.gone) {
      throw new ProjectError('PROJECT_NOT_FOUND', `The project folder ${this.dir} was deleted or moved while open; edits are refused so that none is lost. Close the project and open it where it is now.`);
    }
  }

  /** Marks the project gone (its lock vanished). */
  lost(): void {
    this.gone = true;
  }
}
