import type { SettingsSection } from './section.js';

/** In page order. */
export const settingsSections: SettingsSection[] = [];
