export { openProject, Project, PROJECT_DB, PROJECT_LOCK, type OpenProjectOptions } from './project';
export { ProjectError, type ProjectErrorCode } from './errors';
export { migrate, migrations, SCHEMA_VERSION, schemaVersion } from './migrations';
export { TrimapHistory, applyEdits, type TrimapEdit, type TrimapEditInfo, type TrimapState, type EditAuthor } from './trimap-history';
export { AlphaCache, settingsHash, type AlphaKey } from './alpha-cache';
export { type ImageRecord, type ImageStatus, type ImportProgress, type ImportReport, type ImportContext, type SkipReason } from './types';
export { THUMBNAIL_SIZE } from './thumbnails';
