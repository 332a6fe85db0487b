import type { SettingsSection } from './section.js';
import { keysSection } from './keys.js';
import { authenticatorsSection } from './authenticators.js';
import { recoverySection } from './recovery.js';
import { activitySection } from './activity.js';
import { sessionsSection } from './sessions.js';
import { passwordSection } from './password.js';
import { noticeEmailSection } from './noticeEmail.js';

/** In page order. */
export const settingsSections: SettingsSection[] = [keysSection, authenticatorsSection, recoverySection, passwordSection, noticeEmailSection, sessionsSection, activitySection];
