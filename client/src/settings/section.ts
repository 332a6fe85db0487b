import type { SessionInfo } from '../api.js';

/** One block of the security settings page (keys, authenticator apps, recovery codes, …). */
export interface SettingsSection {
  id: string;
  /** `refresh(message)`: draw the page again, `message` confirming the change in this section. */
  render(session: SessionInfo, refresh: (message?: string) => void): Promise<HTMLElement>;
}
