// The access decision shared by forward-auth (/api/authz) and requireUser(): is this session
// signed in at the required level, and if not, where should the person sign in. Cheap by
// design (every proxied request asks): one session read (names come from a short
// per-process cache), no factor lookups, no password or signature work.
import type { SessionView } from '../session/sessionState.js';
import type { SessionUserNames } from '../storage/port.js';
import type { KeywardUser, SessionIdentity } from './createSessionIdentity.js';
import type { ReturnAddressPolicy } from './returnAddress.js';

export type RequiredAal = 1 | 2 | 3;

export type AuthzDecision =
  | { allowed: true; user: KeywardUser }
  /** `signedIn`: there is a user, just not at the required level (step-up rather than sign-in). */
  | { allowed: false; signedIn: boolean };

export interface AuthzDeps {
  identity: SessionIdentity;
  returnAddresses: ReturnAddressPolicy;
  /** SIGN_IN_URL: Keyward's sign-in page. */
  signInUrl: string;
}

export function createAuthz(deps: AuthzDeps) {
  return {
    /** `known`: the user's names as the session read brought them (createSessionIdentity.ts). */
    async decide(view: SessionView, required: RequiredAal, known?: SessionUserNames | null): Promise<AuthzDecision> {
      const user = await deps.identity.identify(view, known);
      if (user && user.aal >= required) return { allowed: true, user };
      return { allowed: false, signedIn: user !== null || view.status !== 'anonymous' };
    },

    /** The sign-in page, with `rd` only when the return address passes the allow-list. */
    signInLocation(returnTo: string | undefined | null): string {
      const url = new URL(deps.signInUrl);
      const rd = deps.returnAddresses.check(returnTo);
      if (rd) url.searchParams.set('rd', rd);
      return url.href;
    },

    /** Where the sign-in page may send the person back to: the address, or null when not allowed. */
    returnAddress: (returnTo: string | undefined | null): string | null => deps.returnAddresses.check(returnTo) ?? null,
  };
}

export type Authz = ReturnType<typeof createAuthz>;
