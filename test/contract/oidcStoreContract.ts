// The contract of the OpenID Connect store (oidc-provider's adapter sits on it), for every
// adapter: records by kind and id with expiry, uid lookups, whole-grant revocation, and a
// consume that exactly one caller wins.
import { describe, expect, it } from 'vitest';
import type { OidcUpsert } from '../../server/storage/port.js';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';

const NOW = 1_800_000_000_000;

function aRecord(overrides: Partial<OidcUpsert> = {}): OidcUpsert {
  return {
    kind: 'AuthorizationCode',
    id: 'code-1',
    payload: { accountId: 'u1', resources: { 'https://api.example.com': 'read' } },
    grantId: 'grant-1',
    uid: null,
    userCode: null,
    expiresAt: NOW + 60_000,
    ...overrides,
  };
}

export function oidcStoreContract(factory: StorageFactory): void {
  describe(`OpenID Connect store contract: ${factory.name}`, () => {
    const storage = useStorage(factory);

    it('keeps a record as saved (payload keys with dots included) and replaces it on a second save', async () => {
      await storage.oidc.upsert(aRecord());
      expect(await storage.oidc.find('AuthorizationCode', 'code-1', NOW)).toEqual({ ...aRecord(), consumedAt: null, keywardSession: null });
      await storage.oidc.upsert(aRecord({ payload: { accountId: 'u2' } }));
      expect((await storage.oidc.find('AuthorizationCode', 'code-1', NOW))?.payload).toEqual({ accountId: 'u2' });
      expect(await storage.oidc.find('AccessToken', 'code-1', NOW)).toBeNull();
    });

    it('finds nothing once a record has expired, and keeps records without expiry', async () => {
      await storage.oidc.upsert(aRecord());
      await storage.oidc.upsert(aRecord({ kind: 'Client', id: 'app', grantId: null, expiresAt: null }));
      expect(await storage.oidc.find('AuthorizationCode', 'code-1', NOW + 60_000)).toBeNull();
      expect(await storage.oidc.find('Client', 'app', NOW + 10 * 365 * 86400_000)).not.toBeNull();
    });

    it('finds a session by its uid while it lives', async () => {
      await storage.oidc.upsert(aRecord({ kind: 'Session', id: 's1', uid: 'uid-1', grantId: null }));
      expect((await storage.oidc.findByUid('Session', 'uid-1', NOW))?.id).toBe('s1');
      expect(await storage.oidc.findByUid('Session', 'uid-1', NOW + 60_000)).toBeNull();
      expect(await storage.oidc.findByUid('Interaction', 'uid-1', NOW)).toBeNull();
    });

    it('finds a device code by its user code', async () => {
      await storage.oidc.upsert(aRecord({ kind: 'DeviceCode', id: 'd1', userCode: 'BCDF-GHJK' }));
      expect((await storage.oidc.findByUserCode('DeviceCode', 'BCDF-GHJK', NOW))?.id).toBe('d1');
      expect(await storage.oidc.findByUserCode('DeviceCode', 'XXXX-XXXX', NOW)).toBeNull();
    });

    it('consumes a record once, keeps the mark across saves, and never consumes a missing or expired one', async () => {
      await storage.oidc.upsert(aRecord());
      expect(await storage.oidc.consume('AuthorizationCode', 'code-1', NOW + 1)).toBe(true);
      expect(await storage.oidc.consume('AuthorizationCode', 'code-1', NOW + 2)).toBe(false);
      expect((await storage.oidc.find('AuthorizationCode', 'code-1', NOW))?.consumedAt).toBe(NOW + 1);
      await storage.oidc.upsert(aRecord({ payload: { again: true } }));
      expect((await storage.oidc.find('AuthorizationCode', 'code-1', NOW))?.consumedAt).toBe(NOW + 1);
      expect(await storage.oidc.consume('AuthorizationCode', 'nothing', NOW)).toBe(false);
      await storage.oidc.upsert(aRecord({ id: 'late' }));
      expect(await storage.oidc.consume('AuthorizationCode', 'late', NOW + 60_000)).toBe(false);
    });

    it('lets exactly one of many simultaneous redemptions consume a code', async () => {
      await storage.oidc.upsert(aRecord({ id: 'raced' }));
      const results = await Promise.all(Array.from({ length: 20 }, () => storage.oidc.consume('AuthorizationCode', 'raced', NOW)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('revokes a grant: of one kind, or everything of it, and nothing of other grants', async () => {
      await storage.oidc.upsert(aRecord({ kind: 'AccessToken', id: 'at1' }));
      await storage.oidc.upsert(aRecord({ kind: 'RefreshToken', id: 'rt1' }));
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'grant-1' }));
      await storage.oidc.upsert(aRecord({ kind: 'AccessToken', id: 'other', grantId: 'grant-2' }));
      expect(await storage.oidc.revokeByGrantId('AccessToken', 'grant-1')).toBe(1);
      expect(await storage.oidc.find('RefreshToken', 'rt1', NOW)).not.toBeNull();
      expect(await storage.oidc.revokeByGrantId(null, 'grant-1')).toBe(2);
      expect(await storage.oidc.find('Grant', 'grant-1', NOW)).toBeNull();
      expect(await storage.oidc.find('AccessToken', 'other', NOW)).not.toBeNull();
    });

    it('keeps the Keyward session a record was made in when a later save does not name one', async () => {
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'grant-1', keywardSession: 'k1' }));
      expect((await storage.oidc.find('Grant', 'grant-1', NOW))?.keywardSession).toBe('k1');
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'grant-1', payload: { again: true } }));
      expect((await storage.oidc.find('Grant', 'grant-1', NOW))?.keywardSession).toBe('k1');
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'grant-1', keywardSession: 'k2' }));
      expect((await storage.oidc.find('Grant', 'grant-1', NOW))?.keywardSession).toBe('k2');
    });

    it('ends what was made under Keyward sessions: their provider sessions and grants, with every token of those grants', async () => {
      await storage.oidc.upsert(aRecord({ kind: 'Session', id: 's1', uid: 'u1', grantId: null, keywardSession: 'k1' }));
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'g1', grantId: 'g1', keywardSession: 'k1', payload: { clientId: 'app', accountId: 'alice' } }));
      await storage.oidc.upsert(aRecord({ kind: 'RefreshToken', id: 'rt1', grantId: 'g1' }));
      await storage.oidc.upsert(aRecord({ kind: 'AccessToken', id: 'at1', grantId: 'g1' }));
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'g2', grantId: 'g2', keywardSession: 'k2' }));
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'g3', grantId: 'g3', keywardSession: 'k3' }));
      await storage.oidc.upsert(aRecord({ kind: 'RefreshToken', id: 'rt3', grantId: 'g3' }));
      await storage.oidc.upsert(aRecord({ kind: 'Client', id: 'app', grantId: null, expiresAt: null }));
      const revoked = (await storage.oidc.revokeByKeywardSession(['k1', 'k2'])).sort((a, b) => a.grantId.localeCompare(b.grantId));
      // Whose and which client's: what back-channel logout tells.
      expect(revoked).toEqual([
        { grantId: 'g1', clientId: 'app', accountId: 'alice', keywardSession: 'k1' },
        { grantId: 'g2', clientId: null, accountId: 'u1', keywardSession: 'k2' },
      ]);
      for (const [kind, id] of [['Session', 's1'], ['Grant', 'g1'], ['RefreshToken', 'rt1'], ['AccessToken', 'at1'], ['Grant', 'g2']] as const) {
        expect(await storage.oidc.find(kind, id, NOW), `${kind} ${id}`).toBeNull();
      }
      expect(await storage.oidc.find('Grant', 'g3', NOW)).not.toBeNull();
      expect(await storage.oidc.find('RefreshToken', 'rt3', NOW)).not.toBeNull();
      expect(await storage.oidc.find('Client', 'app', NOW)).not.toBeNull();
      expect(await storage.oidc.revokeByKeywardSession(['k1'])).toEqual([]);
      expect(await storage.oidc.revokeByKeywardSession([])).toEqual([]);
    });

    it('lets go of the Keyward sessions that expired: their grants keep every token and are reported once', async () => {
      await storage.oidc.upsert(aRecord({ kind: 'Session', id: 's1', uid: 'u1', grantId: null, keywardSession: 'k1' }));
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'g1', grantId: 'g1', keywardSession: 'k1', payload: { clientId: 'app', accountId: 'alice' } }));
      await storage.oidc.upsert(aRecord({ kind: 'RefreshToken', id: 'rt1', grantId: 'g1' }));
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'g2', grantId: 'g2', keywardSession: 'k2' }));
      await storage.oidc.upsert(aRecord({ kind: 'Grant', id: 'g3', grantId: 'g3' }));
      expect((await storage.oidc.listTagged('Grant')).map((r) => r.id).sort()).toEqual(['g1', 'g2']);
      expect(await storage.oidc.releaseKeywardSessions(['k1'])).toEqual([{ grantId: 'g1', clientId: 'app', accountId: 'alice', keywardSession: 'k1' }]);
      expect(await storage.oidc.find('RefreshToken', 'rt1', NOW)).not.toBeNull();
      expect((await storage.oidc.find('Grant', 'g1', NOW))?.keywardSession).toBeNull();
      expect(await storage.oidc.releaseKeywardSessions(['k1'])).toEqual([]);
      // A sign-out of that session later finds nothing of it to revoke.
      expect(await storage.oidc.revokeByKeywardSession(['k1'])).toEqual([]);
      expect(await storage.oidc.find('Grant', 'g1', NOW)).not.toBeNull();
      expect((await storage.oidc.find('Grant', 'g2', NOW))?.keywardSession).toBe('k2');
      expect((await storage.oidc.listTagged('Grant')).map((r) => r.id)).toEqual(['g2']);
    });

    it('destroys one record and lists the records of a kind by id', async () => {
      await storage.oidc.upsert(aRecord({ kind: 'Client', id: 'b', grantId: null, expiresAt: null }));
      await storage.oidc.upsert(aRecord({ kind: 'Client', id: 'a', grantId: null, expiresAt: null }));
      expect((await storage.oidc.listKind('Client')).map((r) => r.id)).toEqual(['a', 'b']);
      await storage.oidc.destroy('Client', 'a');
      expect((await storage.oidc.listKind('Client')).map((r) => r.id)).toEqual(['b']);
    });

    it('sweeps expired records and leaves the rest', async () => {
      await storage.oidc.upsert(aRecord({ id: 'old', expiresAt: NOW - 1 }));
      await storage.oidc.upsert(aRecord({ kind: 'Client', id: 'c', grantId: null, expiresAt: null }));
      await storage.sweepExpired(NOW);
      expect(await storage.oidc.listKind('AuthorizationCode')).toEqual([]);
      expect(await storage.oidc.listKind('Client')).toHaveLength(1);
    });
  });
}
