// Contract for the stores behind security keys and the audit trail.
import { describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../../server/storage/port.js';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';

const NOW = 1_800_000_000_000;

function aCredential(overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    id: `cred-${Math.random().toString(36).slice(2)}`,
    userId: 'u1',
    name: 'Security key 1',
    publicKey: new Uint8Array([1, 2, 3, 250, 0, 7]),
    counter: 0,
    transports: ['usb', 'nfc'],
    aaguid: '00000000-0000-0000-0000-000000000000',
    deviceType: 'singleDevice',
    backedUp: false,
    flagged: false,
    createdAt: NOW,
    lastUsedAt: null,
    attestation: null,
    modelRevokedBy: null,
    ...overrides,
  };
}

export { aCredential };

export function webauthnStoresContract(factory: StorageFactory): void {
  describe(`webauthn and audit stores: ${factory.name}`, () => {
    const storage = useStorage(factory);

    describe('challenges', () => {
      const ch = { challenge: 'c'.repeat(43), binding: 'b1', purpose: 'authentication' as const, userId: 'u1', expiresAt: NOW + 1000 };

      it('gives a challenge back once, to the session and purpose it was issued for', async () => {
        await storage.challenges.save(ch);
        expect(await storage.challenges.consume(ch.challenge, 'other-session', 'authentication')).toBeNull();
        expect(await storage.challenges.consume(ch.challenge, 'b1', 'registration')).toBeNull();
        expect(await storage.challenges.consume(ch.challenge, 'b1', 'authentication')).toEqual(ch);
        expect(await storage.challenges.consume(ch.challenge, 'b1', 'authentication')).toBeNull();
      });

      it('returns an expired challenge too (the caller refuses it), so it is spent either way', async () => {
        await storage.challenges.save({ ...ch, expiresAt: NOW - 1 });
        expect((await storage.challenges.consume(ch.challenge, 'b1', 'authentication'))?.expiresAt).toBe(NOW - 1);
      });

      it('hands a challenge to exactly one of many simultaneous consumers', async () => {
        await storage.challenges.save({ ...ch, userId: null });
        const got = await Promise.all(Array.from({ length: 25 }, () => storage.challenges.consume(ch.challenge, 'b1', 'authentication')));
        expect(got.filter(Boolean)).toHaveLength(1);
      });

      it('sweeps expired challenges away', async () => {
        await storage.challenges.save({ ...ch, expiresAt: NOW - 1 });
        await storage.sweepExpired(NOW);
        expect(await storage.challenges.consume(ch.challenge, 'b1', 'authentication')).toBeNull();
      });
    });

    describe('credentials', () => {
      it('stores a credential with its public key bytes intact and finds it by id and by user', async () => {
        const c = aCredential();
        expect(await storage.credentials.create(c)).toBe(true);
        expect(await storage.credentials.findById(c.id)).toEqual(c);
        expect(await storage.credentials.listByUser('u1')).toEqual([c]);
        expect(await storage.credentials.countByUser('u1')).toBe(1);
        expect(await storage.credentials.countByUser('u2')).toBe(0);
      });

      it('refuses a second credential with the same id, even for another user', async () => {
        const c = aCredential();
        await storage.credentials.create(c);
        expect(await storage.credentials.create({ ...c, userId: 'u2' })).toBe(false);
        expect((await storage.credentials.findById(c.id))?.userId).toBe('u1');
      });

      it('renames and removes only the owner\'s credential', async () => {
        const c = aCredential();
        await storage.credentials.create(c);
        expect(await storage.credentials.rename('u2', c.id, 'Stolen')).toBeNull();
        expect((await storage.credentials.rename('u1', c.id, 'Blue'))?.name).toBe('Blue');
        expect(await storage.credentials.remove('u2', c.id)).toBe(false);
        expect(await storage.credentials.remove('u1', c.id)).toBe(true);
        expect(await storage.credentials.findById(c.id)).toBeNull();
      });

      it('records a use only when the counter moves forward, or stays at 0 for keys without one', async () => {
        const zero = aCredential();
        await storage.credentials.create(zero);
        expect(await storage.credentials.recordUse(zero.id, { newCounter: 0, at: NOW + 1, backedUp: true })).toBe('recorded');
        expect(await storage.credentials.findById(zero.id)).toMatchObject({ counter: 0, lastUsedAt: NOW + 1, backedUp: true });

        const counted = aCredential({ counter: 5 });
        await storage.credentials.create(counted);
        expect(await storage.credentials.recordUse(counted.id, { newCounter: 5, at: NOW, backedUp: false })).toBe('counter_regressed');
        expect(await storage.credentials.recordUse(counted.id, { newCounter: 4, at: NOW, backedUp: false })).toBe('counter_regressed');
        expect(await storage.credentials.recordUse(counted.id, { newCounter: 0, at: NOW, backedUp: false })).toBe('counter_regressed');
        expect(await storage.credentials.recordUse(counted.id, { newCounter: 6, at: NOW + 2, backedUp: false })).toBe('recorded');
        expect(await storage.credentials.findById(counted.id)).toMatchObject({ counter: 6, lastUsedAt: NOW + 2 });
        expect(await storage.credentials.recordUse('nope', { newCounter: 1, at: NOW, backedUp: false })).toBe('missing');
      });

      it('lets one of many simultaneous uses with the same counter through', async () => {
        const c = aCredential({ counter: 1 });
        await storage.credentials.create(c);
        const results = await Promise.all(Array.from({ length: 20 }, () => storage.credentials.recordUse(c.id, { newCounter: 2, at: NOW, backedUp: false })));
        expect(results.filter((r) => r === 'recorded')).toHaveLength(1);
      });

      it('never lets the stored counter go back when uses with different higher counters arrive at once', async () => {
        // Sent together, the uses may still be served one after another (a lower one first,
        // then a higher one read against it): both are then genuine forward moves. What must
        // never happen is a lower counter accepted after a higher one, or two accepted against
        // the same stored value; either leaves the stored counter below the highest accepted.
        const check = async (counters: number[], label: string) => {
          const c = aCredential({ counter: 4 });
          await storage.credentials.create(c);
          const results = await Promise.all(counters.map((n) => storage.credentials.recordUse(c.id, { newCounter: n, at: NOW + n, backedUp: false })));
          const accepted = counters.filter((_, i) => results[i] === 'recorded');
          expect(accepted.length, label).toBeGreaterThanOrEqual(1);
          const highest = Math.max(...accepted);
          expect(await storage.credentials.findById(c.id), label).toMatchObject({ counter: highest, lastUsedAt: NOW + highest });
        };
        // Highest first: on a store that decides atomically, the lower ones find it stored.
        for (let round = 0; round < 10; round++) await check([6, 5], `round ${round}`);
        await check(Array.from({ length: 10 }, (_, i) => 14 - i), 'ten at once');
      });

      it('flags a credential', async () => {
        const c = aCredential();
        await storage.credentials.create(c);
        await storage.credentials.flag(c.id);
        expect((await storage.credentials.findById(c.id))?.flagged).toBe(true);
      });
    });

    describe('audit', () => {
      const event = (i: number, userId: string | null = 'u1') => ({
        id: `e${i}`,
        at: NOW + i * 1000,
        type: i % 2 ? 'signin.webauthn' : 'signin.password',
        outcome: 'success' as const,
        userId,
        ip: '203.0.113.7',
        userAgent: 'test',
        requestId: `r${i}`,
        details: { n: i, nested: { ok: true } },
      });

      it('lists a user\'s events newest first, in pages', async () => {
        for (let i = 1; i <= 5; i++) await storage.audit.append(event(i));
        await storage.audit.append(event(6, 'u2'));
        const page1 = await storage.audit.listForUser('u1', { limit: 2 });
        expect(page1.map((e) => e.id)).toEqual(['e5', 'e4']);
        expect(page1[0]).toEqual(event(5));
        const page2 = await storage.audit.listForUser('u1', { limit: 10, before: page1[1]!.at });
        expect(page2.map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
      });
    });
  });
}
