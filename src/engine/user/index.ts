/** Per-user data beside the projects: the app settings and the recent-projects list, in the app data folder. */
export { RecentProjects, MAX_RECENT, RECENT_FILE, type RecentProject } from './recent';
export { AppSettingsStore, AppSettingsSchema, SETTINGS_FILE, type AppSettings } from './settings';
