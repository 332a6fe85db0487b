import type { SessionInfo } from '../api.js';

/** One block of the security settings page (keys, authenticator apps, recovery codes, …). */
export interface SettingsSection {
  id: string;
  render(session: SessionInfo, refresh: () => void): Promise<HTMLElement>;
}
