// oidc-provider's storage adapter over Keyward's OidcStore, one per model (Session, Grant,
// AuthorizationCode, RefreshToken, AccessToken, Interaction, Client, ...). Expiry comes from
// Keyward's clock; every lookup checks it in the query itself.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from './oidcProviderLibrary.js';
import type { Clock } from '../clock.js';
import type { OidcStore } from '../storage/port.js';
import type { RequestScope } from './requestScope.js';

/** What a Keyward sign-out ends (endOidcWithSession.ts): the provider session, and grants with all their tokens. */
const ENDS_WITH_KEYWARD_SESSION = new Set(['Session', 'Grant']);

export function createOidcAdapterFactory(store: OidcStore, clock: Clock, scope: RequestScope) {
  return (kind: string): Adapter => {
    const toPayload = (r: { payload: Record<string, unknown>; consumedAt: number | null } | null): AdapterPayload | undefined =>
      r ? { ...r.payload, ...(r.consumedAt !== null && { consumed: Math.floor(r.consumedAt / 1000) }) } : undefined;

    return {
      async upsert(id, payload, expiresIn) {
        await store.upsert({
          kind,
          id,
          payload: payload as Record<string, unknown>,
          // A grant is its own grant, so revoking it removes it with everything issued from it.
          grantId: kind === 'Grant' ? id : (payload.grantId ?? null),
          uid: payload.uid ?? null,
          userCode: payload.userCode ?? null,
          expiresAt: expiresIn ? clock.now() + expiresIn * 1000 : null,
          // Saved from a browser request: tagged with its Keyward session (kept as stored otherwise).
          keywardSession: ENDS_WITH_KEYWARD_SESSION.has(kind) ? (scope.current()?.sessionHandle ?? null) : null,
        });
      },
      async find(id) {
        return toPayload(await store.find(kind, id, clock.now()));
      },
      async findByUid(uid) {
        return toPayload(await store.findByUid(kind, uid, clock.now()));
      },
      async findByUserCode(userCode) {
        return toPayload(await store.findByUserCode(kind, userCode, clock.now()));
      },
      async consume(id) {
        if (await store.consume(kind, id, clock.now())) return;
        // oidc-provider reads a code (or refresh token), sees it unused, then consumes it: two
        // instances redeeming one code at once both pass the read. The store's consume lets
        // one win; the loser is a reuse, and as on any reuse (RFC 6749 4.1.2, oidc-provider's
        // own rule for a code seen consumed) the whole grant is revoked, so the tokens the
        // winner got stop working too (every token use looks its grant up).
        const record = await store.find(kind, id, clock.now());
        if (record?.grantId) await store.revokeByGrantId(null, record.grantId);
        throw new errors.InvalidGrant(`${kind === 'RefreshToken' ? 'refresh token' : 'authorization code'} already consumed`);
      },
      async destroy(id) {
        await store.destroy(kind, id);
      },
      async revokeByGrantId(grantId) {
        await store.revokeByGrantId(kind, grantId);
      },
    };
  };
}
