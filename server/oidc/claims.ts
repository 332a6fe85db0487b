// Who the person is, for ID tokens and userinfo: sub is Keyward's user id (stable across
// username changes), with the username and display name under the profile scope.
import type { FindAccount } from 'oidc-provider';
import type { UserStore } from '../storage/port.js';

/**
 * Scope -> claims it releases. acr, amr and auth_time come from the sign-in itself and are in
 * every ID token (oidc-provider only sends the claims a scope names, or the request asks for).
 */
export const SCOPE_CLAIMS = {
  sid: null,
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: ['preferred_username', 'name'],
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
        // Groups, where the user record has them (a later addition to Keyward's users).
        ...('groups' in user && Array.isArray(user.groups) ? { groups: user.groups as string[] } : {}),
      }),
    };
  };
}
