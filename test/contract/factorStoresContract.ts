// The contract of the TOTP and recovery-code stores, for every adapter: expiry checked in
// the query, and every security-relevant write one atomic conditional operation.
import { describe, expect, it } from 'vitest';
import type { RecoverySetRecord, TotpAuthenticatorRecord } from '../../server/storage/port.js';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';

const NOW = 1_800_000_000_000;
let n = 0;

function anAuthenticator(overrides: Partial<TotpAuthenticatorRecord> = {}): TotpAuthenticatorRecord {
  n += 1;
  return {
    id: `totp-${n}-${Math.random().toString(36).slice(2, 8)}`,
    userId: 'u1',
    name: `App ${n}`,
    secret: { keyId: 'k1', sealed: `sealed-${n}` },
    confirmed: false,
    expiresAt: NOW + 600_000,
    lastUsedStep: -1,
    createdAt: NOW + n,
    lastUsedAt: null,
    ...overrides,
  };
}

const aSet = (userId: string, setId: string): RecoverySetRecord => ({ userId, setId, salt: `salt-${setId}`, createdAt: NOW });
const hashes = (setId: string) => Array.from({ length: 10 }, (_, i) => `${setId}-hash-${i}`);

export function factorStoresContract(factory: StorageFactory): void {
  describe(`factor stores contract: ${factory.name}`, () => {
    const storage = useStorage(factory);

    describe('TOTP authenticators', () => {
      it('finds a pending set-up only for its owner and only until it expires, even before any cleanup', async () => {
        const a = anAuthenticator();
        await storage.totp.createPending(a);
        expect(await storage.totp.findPending('u1', a.id, NOW)).toEqual(a);
        expect(await storage.totp.findPending('u2', a.id, NOW)).toBeNull();
        expect(await storage.totp.findPending('u1', a.id, a.expiresAt! - 1)).not.toBeNull();
        expect(await storage.totp.findPending('u1', a.id, a.expiresAt!)).toBeNull();
        expect(await storage.totp.confirm('u1', a.id, 5, a.expiresAt!)).toBeNull();
      });

      it('confirms a pending set-up once, recording the confirming step as used', async () => {
        const a = anAuthenticator();
        await storage.totp.createPending(a);
        expect(await storage.totp.listConfirmed('u1')).toEqual([]);
        expect(await storage.totp.confirm('u2', a.id, 10, NOW)).toBeNull();
        const confirmed = await storage.totp.confirm('u1', a.id, 10, NOW);
        expect(confirmed).toEqual({ ...a, confirmed: true, expiresAt: null, lastUsedStep: 10 });
        expect(await storage.totp.confirm('u1', a.id, 11, NOW)).toBeNull();
        expect(await storage.totp.findPending('u1', a.id, NOW)).toBeNull();
        expect(await storage.totp.recordUse(a.id, 10, NOW)).toBe(false);
        expect(await storage.totp.listConfirmed('u1')).toEqual([confirmed]);
        expect(await storage.totp.countConfirmed('u1')).toBe(1);
      });

      it('lets exactly one of many parallel confirmations win', async () => {
        const a = anAuthenticator();
        await storage.totp.createPending(a);
        const results = await Promise.all(Array.from({ length: 20 }, () => storage.totp.confirm('u1', a.id, 7, NOW)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('accepts each time step at most once, and never one earlier than the last', async () => {
        const a = anAuthenticator({ confirmed: true, expiresAt: null, lastUsedStep: 100 });
        await storage.totp.createPending(a);
        expect(await storage.totp.recordUse(a.id, 100, NOW)).toBe(false);
        expect(await storage.totp.recordUse(a.id, 99, NOW)).toBe(false);
        expect(await storage.totp.recordUse(a.id, 101, NOW + 5)).toBe(true);
        expect(await storage.totp.recordUse(a.id, 101, NOW + 6)).toBe(false);
        const [stored] = await storage.totp.listConfirmed('u1');
        expect(stored).toMatchObject({ lastUsedStep: 101, lastUsedAt: NOW + 5 });
      });

      it('lets exactly one of 50 parallel uses of one time step win', async () => {
        const a = anAuthenticator({ confirmed: true, expiresAt: null });
        await storage.totp.createPending(a);
        const results = await Promise.all(Array.from({ length: 50 }, () => storage.totp.recordUse(a.id, 500, NOW)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('never records a use on a pending set-up', async () => {
        const a = anAuthenticator();
        await storage.totp.createPending(a);
        expect(await storage.totp.recordUse(a.id, 5, NOW)).toBe(false);
      });

      it('renames only its owner’s confirmed authenticators', async () => {
        const pending = anAuthenticator();
        const confirmed = anAuthenticator({ confirmed: true, expiresAt: null });
        await storage.totp.createPending(pending);
        await storage.totp.createPending(confirmed);
        expect(await storage.totp.rename('u1', pending.id, 'x')).toBeNull();
        expect(await storage.totp.rename('u2', confirmed.id, 'x')).toBeNull();
        expect((await storage.totp.rename('u1', confirmed.id, 'Tablet'))?.name).toBe('Tablet');
      });

      it('removes an authenticator, returns it, and can put it back', async () => {
        const a = anAuthenticator({ confirmed: true, expiresAt: null, lastUsedStep: 42 });
        await storage.totp.createPending(a);
        expect(await storage.totp.remove('u2', a.id)).toBeNull();
        expect(await storage.totp.remove('u1', a.id)).toEqual(a);
        expect(await storage.totp.remove('u1', a.id)).toBeNull();
        expect(await storage.totp.countConfirmed('u1')).toBe(0);
        await storage.totp.restore(a);
        expect(await storage.totp.listConfirmed('u1')).toEqual([a]);
      });

      it('sweeps expired set-ups away and keeps confirmed and live ones', async () => {
        const expired = anAuthenticator({ expiresAt: NOW - 1 });
        const live = anAuthenticator({ expiresAt: NOW + 1000 });
        const confirmed = anAuthenticator({ confirmed: true, expiresAt: null });
        for (const a of [expired, live, confirmed]) await storage.totp.createPending(a);
        await storage.sweepExpired(NOW);
        const ids = (await storage.totp.listPage(null, 100)).map((a) => a.id);
        expect(ids).not.toContain(expired.id);
        expect(ids).toContain(live.id);
        expect(ids).toContain(confirmed.id);
      });

      it('pages through every authenticator in id order', async () => {
        const all = Array.from({ length: 7 }, (_, i) => anAuthenticator({ userId: `u${i % 3}`, confirmed: i % 2 === 0 }));
        for (const a of all) await storage.totp.createPending(a);
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const page = await storage.totp.listPage(after, 3);
          seen.push(...page.map((a) => a.id));
          if (page.length < 3) break;
          after = page[page.length - 1]!.id;
        }
        expect(seen).toEqual(all.map((a) => a.id).sort());
      });

      it('replaces a sealed secret only while it is still the expected one', async () => {
        const a = anAuthenticator({ confirmed: true, expiresAt: null });
        await storage.totp.createPending(a);
        const next = { keyId: 'k2', sealed: 'resealed' };
        expect(await storage.totp.replaceSecret(a.id, { keyId: 'k1', sealed: 'other' }, next)).toBe(false);
        expect(await storage.totp.replaceSecret(a.id, a.secret, next)).toBe(true);
        expect(await storage.totp.replaceSecret(a.id, a.secret, { keyId: 'k3', sealed: 'late' })).toBe(false);
        expect((await storage.totp.listConfirmed('u1'))[0]?.secret).toEqual(next);
      });
    });

    describe('recovery codes', () => {
      it('creates a first set only when the user has none', async () => {
        expect(await storage.recovery.findSet('u1')).toBeNull();
        expect(await storage.recovery.createSetIfAbsent(aSet('u1', 's1'), hashes('s1'))).toBe(true);
        expect(await storage.recovery.createSetIfAbsent(aSet('u1', 's2'), hashes('s2'))).toBe(false);
        expect(await storage.recovery.findSet('u1')).toEqual(aSet('u1', 's1'));
        expect(await storage.recovery.countCodes('u1', 's1')).toBe(10);
        expect(await storage.recovery.useCode('u1', 's2', 's2-hash-0')).toBe(false);
      });

      it('lets exactly one of several simultaneous first sets win', async () => {
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => storage.recovery.createSetIfAbsent(aSet('u1', `race${i}`), hashes(`race${i}`))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = (await storage.recovery.findSet('u1'))!.setId;
        expect(await storage.recovery.countCodes('u1', winner)).toBe(10);
      });

      it('uses each code once, in any order, and only for its owner and set', async () => {
        await storage.recovery.createSetIfAbsent(aSet('u1', 's1'), hashes('s1'));
        expect(await storage.recovery.useCode('u2', 's1', 's1-hash-3')).toBe(false);
        expect(await storage.recovery.useCode('u1', 's1', 's1-hash-3')).toBe(true);
        expect(await storage.recovery.useCode('u1', 's1', 's1-hash-3')).toBe(false);
        expect(await storage.recovery.useCode('u1', 's1', 's1-hash-0')).toBe(true);
        expect(await storage.recovery.countCodes('u1', 's1')).toBe(8);
      });

      it('lets exactly one of 50 parallel uses of one code win', async () => {
        await storage.recovery.createSetIfAbsent(aSet('u1', 's1'), hashes('s1'));
        const results = await Promise.all(Array.from({ length: 50 }, () => storage.recovery.useCode('u1', 's1', 's1-hash-5')));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('voids the previous set when a new one replaces it', async () => {
        await storage.recovery.createSetIfAbsent(aSet('u1', 's1'), hashes('s1'));
        await storage.recovery.createSetIfAbsent(aSet('u2', 'other'), hashes('other'));
        await storage.recovery.replaceSet(aSet('u1', 's2'), hashes('s2'));
        expect((await storage.recovery.findSet('u1'))?.setId).toBe('s2');
        expect(await storage.recovery.useCode('u1', 's1', 's1-hash-1')).toBe(false);
        expect(await storage.recovery.countCodes('u1', 's1')).toBe(0);
        expect(await storage.recovery.useCode('u1', 's2', 's2-hash-1')).toBe(true);
        expect(await storage.recovery.countCodes('u2', 'other')).toBe(10);
      });
    });
  });
}
