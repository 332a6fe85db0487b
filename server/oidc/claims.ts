// Who the person is, for ID tokens and userinfo: sub is Keyward's user id (stable across
// username changes), with the username and display name under the profile scope, the user's
// groups (the names access rules use) under the groups scope, and their confirmed notice
// address under the email scope.
import type { FindAccount } from 'oidc-provider';
import type { NoticeAddressStore, UserStore } from '../storage/port.js';
import { allGroups } from '../accounts/createAccountService.js';
import { confirmedAddress } from '../notices/confirmedAddress.js';

/** The scopes Keyward gives out; any other a client asks for is dropped (and its consent page says so). */
export const OIDC_SCOPES = ['openid', 'offline_access', 'profile', 'email', 'groups'] as const;

/**
 * Scope -> claims it releases. acr, amr and auth_time come from the sign-in itself and are in
 * every ID token (oidc-provider only sends the claims a scope names, or the request asks for).
 */
export const SCOPE_CLAIMS = {
  sid: null,
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: ['preferred_username', 'name'],
  // Only ever the address the person proved they read (the notice address, once its link was
  // opened), so email_verified is always true. The account's own `email` (from an invitation,
  // an administrator or an open sign-up form) is never released: nobody proved it (an
  // invitation link need not have been mailed), and many applications trust an email claim
  // without looking at email_verified.
  email: ['email', 'email_verified'],
  // A scope of its own, for every client alike (first-party ones ask for it too): the names
  // people are grouped under are for the applications that use them for access, and a
  // third-party client's consent page says it asks for them.
  groups: ['groups'],
};

/** The scope whose consent releases `claim`, for claims a client asks for by name (the claims parameter). */
export function scopeOfClaim(claim: string): string | null {
  for (const [scope, claims] of Object.entries(SCOPE_CLAIMS)) if (claims?.includes(claim)) return scope;
  return null;
}

export function findAccount(deps: { users: Pick<UserStore, 'findById'>; addresses: Pick<NoticeAddressStore, 'findConfirmed'> }): FindAccount {
  return async (_ctx, id) => {
    const user = await deps.users.findById(id);
    if (!user) return undefined;
    return {
      accountId: user.id,
      // Read when a token or userinfo answer is made: the address as confirmed then. A new
      // address waiting for its link changes nothing until it is opened; none confirmed, no claim.
      claims: async () => {
        const confirmed = await confirmedAddress(deps.addresses, user);
        return {
          sub: user.id,
          preferred_username: user.username,
          name: user.displayName || user.username,
          groups: allGroups(user),
          ...(confirmed ? { email: confirmed, email_verified: true } : {}),
        };
      },
    };
  };
}
