// The OIDC session is the Keyward session: whatever ends a Keyward session (sign-out, the
// person revoking it from their list, an administrator, a password change or MFA reset ending
// the others) also ends the provider session made in it and revokes the grants made in it,
// with every refresh and access token of those grants (offline_access ones too: a person who
// signs out, or whose sessions an administrator ends, expects the applications to lose access).
// Done as a decorator of the session store, so every path that ends sessions is covered, on
// any instance (everything is in the database). Records are tagged with the Keyward session's
// public handle by the provider's adapter (oidcAdapter.ts). A session that ends by expiring
// is found afterwards by its grants (endExpiredSessions.ts) and ended the same way.
import type { Clock } from '../clock.js';
import type { OidcStore, RevokedGrant, SessionStore } from '../storage/port.js';

export interface OidcLogout {
  userId: string | null;
  /** Public handles of the Keyward sessions that ended. */
  sessions: string[];
  /** Grants revoked with them (each client told by back-channel logout, backchannelLogout.ts). */
  grants: RevokedGrant[];
  /** What ended them: a Keyward sign-out of some kind, or the session's expiry. */
  by: 'keyward' | 'expiry';
}

export type EndOidc = (userId: string | null, handles: string[], by: OidcLogout['by']) => Promise<void>;

/**
 * Ends what was made in these Keyward sessions (already ended themselves). A sign-out revokes
 * the grants; an expiry leaves their tokens to their own lifetimes (the person signed nobody
 * out), and only lets go of them: either way the clients are told (back-channel logout).
 */
export function endOidcOf(deps: { oidc: OidcStore; onLogout: (ended: OidcLogout) => Promise<void> }): EndOidc {
  return async (userId, handles, by) => {
    if (!handles.length) return;
    const grants = by === 'expiry' ? await deps.oidc.releaseKeywardSessions(handles) : await deps.oidc.revokeByKeywardSession(handles);
    if (grants.length) await deps.onLogout({ userId, sessions: handles, grants, by });
  };
}

export function endOidcWithSession(deps: { sessions: SessionStore; oidc: OidcStore; clock: Clock; onLogout: (ended: OidcLogout) => Promise<void> }): SessionStore {
  const { sessions } = deps;
  const end = endOidcOf(deps);
  const revoke = (userId: string | null, handles: string[]) => end(userId, handles, 'keyward');

  return {
    ...sessions,
    async destroy(idHash) {
      // At time 0 nothing has expired: a session destroyed after its end still ends its grants.
      const ended = await sessions.get(idHash, 0);
      await sessions.destroy(idHash);
      if (ended) await revoke(ended.userId, [ended.publicId]);
    },
    async destroyByPublicId(userId, publicId) {
      const ended = await sessions.destroyByPublicId(userId, publicId);
      if (ended) await revoke(userId, [publicId]);
      return ended;
    },
    async destroyAllForUser(userId, exceptIdHash) {
      // Read before the delete (which reports only a count); a session signed in between the
      // two is destroyed before it could have authorized anything worth revoking.
      const listed = await sessions.listForUser(userId, deps.clock.now());
      const count = await sessions.destroyAllForUser(userId, exceptIdHash);
      await revoke(
        userId,
        listed.filter((s) => s.idHash !== exceptIdHash).map((s) => s.publicId),
      );
      return count;
    },
  };
}
