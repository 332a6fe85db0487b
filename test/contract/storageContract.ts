// ONE contract for every storage adapter: the behaviour the rest of Keyward relies on.
import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../../server/storage/port.js';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';

let n = 0;
export function aUser(overrides: Partial<UserRecord> = {}): UserRecord {
  n += 1;
  const name = `user${n}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    id: `id-${name}`,
    username: name,
    usernameNormalized: name.toLowerCase(),
    displayName: `User ${n}`,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    roles: [],
    groups: [],
    email: null,
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function storageContract(factory: StorageFactory): void {
  describe(`storage contract: ${factory.name}`, () => {
    const storage = useStorage(factory);

    describe('users', () => {
      it('stores a user and finds it by id and by normalized username', async () => {
        const u = aUser({ roles: ['admin'] });
        expect(await storage.users.create(u)).toBe(true);
        expect(await storage.users.findById(u.id)).toEqual(u);
        expect(await storage.users.findByUsername(u.usernameNormalized)).toEqual(u);
        expect(await storage.users.findById('nobody')).toBeNull();
        expect(await storage.users.findByUsername('nobody')).toBeNull();
      });

      it('refuses a second user with the same normalized username', async () => {
        const u = aUser();
        expect(await storage.users.create(u)).toBe(true);
        expect(await storage.users.create(aUser({ usernameNormalized: u.usernameNormalized, username: u.username.toUpperCase() }))).toBe(false);
        expect((await storage.users.findByUsername(u.usernameNormalized))?.id).toBe(u.id);
      });

      it('lets exactly one of many simultaneous sign-ups with one username win', async () => {
        const name = aUser().usernameNormalized;
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => storage.users.create(aUser({ id: `race-${i}`, usernameNormalized: name }))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('replaces a password hash only when it is still the expected one', async () => {
        const u = aUser();
        await storage.users.create(u);
        expect(await storage.users.updatePasswordHash(u.id, 'stale', 'new1')).toBe(false);
        expect(await storage.users.updatePasswordHash(u.id, u.passwordHash, 'new2')).toBe(true);
        expect((await storage.users.findById(u.id))?.passwordHash).toBe('new2');
      });
    });

    describe('sessions', () => {
      const now = 1_800_000_000_000;

      it('stores, replaces and destroys a session', async () => {
        await storage.sessions.set({ idHash: 'h1', userId: 'u1', data: { userId: 'u1', aal: 1 }, expiresAt: now + 1000 });
        expect(await storage.sessions.get('h1', now)).toEqual({ idHash: 'h1', userId: 'u1', data: { userId: 'u1', aal: 1 }, expiresAt: now + 1000 });
        await storage.sessions.set({ idHash: 'h1', userId: 'u1', data: { userId: 'u1', aal: 2 }, expiresAt: now + 2000 });
        expect((await storage.sessions.get('h1', now))?.data).toEqual({ userId: 'u1', aal: 2 });
        await storage.sessions.destroy('h1');
        expect(await storage.sessions.get('h1', now)).toBeNull();
      });

      it('does not return a session once it has expired, even before any cleanup', async () => {
        await storage.sessions.set({ idHash: 'h2', userId: null, data: {}, expiresAt: now + 1000 });
        expect(await storage.sessions.get('h2', now + 999)).not.toBeNull();
        expect(await storage.sessions.get('h2', now + 1000)).toBeNull();
      });

      it('signs one user out everywhere and leaves other users alone', async () => {
        for (const [h, u] of [['a1', 'ua'], ['a2', 'ua'], ['b1', 'ub']] as const) {
          await storage.sessions.set({ idHash: h, userId: u, data: { userId: u }, expiresAt: now + 1000 });
        }
        expect(await storage.sessions.destroyAllForUser('ua')).toBe(2);
        expect(await storage.sessions.get('a1', now)).toBeNull();
        expect(await storage.sessions.get('a2', now)).toBeNull();
        expect(await storage.sessions.get('b1', now)).not.toBeNull();
      });

      it('sweeps expired sessions away and keeps live ones', async () => {
        await storage.sessions.set({ idHash: 'old', userId: null, data: {}, expiresAt: now - 1 });
        await storage.sessions.set({ idHash: 'live', userId: null, data: {}, expiresAt: now + 1000 });
        await storage.sweepExpired(now);
        // Asking with an earlier "now" would still return a row that was not deleted.
        expect(await storage.sessions.get('old', now - 10)).toBeNull();
        expect(await storage.sessions.get('live', now)).not.toBeNull();
      });
    });

    it('answers a ping while the database is there', async () => {
      await expect(storage.ping()).resolves.toBeUndefined();
    });
  });
}
