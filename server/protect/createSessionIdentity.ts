// Who a signed-in session belongs to, as the apps behind Keyward see them. One point read of
// the user (by id) beside the session read: usernames and display names live with the user,
// not in every session, so a change shows at once.
import type { UserStore } from '../storage/port.js';
import type { Aal, Amr, SessionView } from '../session/sessionState.js';

export interface KeywardUser {
  id: string;
  username: string;
  displayName: string;
  aal: Aal;
  amr: Amr[];
  /** When the first factor (password or passkey) succeeded. */
  authenticatedAt: number;
}

export interface SessionIdentity {
  /** The user of a fully signed-in session; null for any other state, or a user that no longer exists. */
  identify(view: SessionView): Promise<KeywardUser | null>;
}

export function createSessionIdentity(deps: { users: UserStore }): SessionIdentity {
  return {
    async identify(view) {
      if (view.status !== 'authenticated' || !view.userId) return null;
      const user = await deps.users.findById(view.userId);
      if (!user) return null;
      return {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        aal: view.aal,
        amr: view.amr,
        authenticatedAt: view.authenticatedAt ?? 0,
      };
    },
  };
}
