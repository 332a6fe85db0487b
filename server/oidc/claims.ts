// Who the person is, for ID tokens and userinfo: sub is Keyward's user id (stable across
// username changes), with the username and display name under the profile scope, and the
// user's groups (the names access rules use) under the groups scope.
import type { FindAccount } from 'oidc-provider';
import type { UserStore } from '../storage/port.js';

/** The scopes Keyward gives out; any other a client asks for is dropped (and its consent page says so). */
export const OIDC_SCOPES = ['openid', 'offline_access', 'profile', 'groups'] as const;

/**
 * Scope -> claims it releases. acr, amr and auth_time come from the sign-in itself and are in
 * every ID token (oidc-provider only sends the claims a scope names, or the request asks for).
 */
export const SCOPE_CLAIMS = {
  sid: null,
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: ['preferred_username', 'name'],
  // A scope of its own, for every client alike (first-party ones ask for it too): the names
  // people are grouped under are for the applications that use them for access, and a
  // third-party client's consent page says it asks for them.
  groups: ['groups'],
};

export function findAccount(users: UserStore): FindAccount {
  return async (_ctx, id) => {
    const user = await users.findById(id);
    if (!user) return undefined;
    return {
      accountId: user.id,
      claims: () => ({
        sub: user.id,
        preferred_username: user.username,
        name: user.displayName || user.username,
        groups: user.groups,
      }),
    };
  };
}
