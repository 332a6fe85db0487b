// ONE contract for every storage adapter: the behaviour the rest of Keyward relies on.
import { describe, expect, it } from 'vitest';
import type { SessionRecord, UserRecord } from '../../server/storage/port.js';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';

let n = 0;
export function aUser(overrides: Partial<UserRecord> = {}): UserRecord {
  n += 1;
  const name = `user${n}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    id: `id-${name}`,
    username: name,
    usernameNormalized: name.toLowerCase(),
    usernameSkeleton: `sk-${name.toLowerCase()}`,
    displayName: `User ${n}`,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    roles: [],
    groups: [],
    email: null,
    createdAt: 1_700_000_000_000,
    language: null,
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

      it('stores the person\'s language, writing only when it differs', async () => {
        const u = aUser();
        expect(await storage.users.create(u)).toBe(true);
        expect((await storage.users.findById(u.id))?.language).toBeNull();
        expect(await storage.users.setLanguage(u.id, 'de')).toBe(true);
        expect((await storage.users.findById(u.id))?.language).toBe('de');
        expect(await storage.users.setLanguage(u.id, 'de')).toBe(false);
        expect(await storage.users.setLanguage(u.id, 'en')).toBe(true);
        expect((await storage.users.findByUsername(u.usernameNormalized))?.language).toBe('en');
        expect(await storage.users.setLanguage('nobody', 'de')).toBe(false);
        const german = aUser({ language: 'de' });
        expect(await storage.users.create(german)).toBe(true);
        expect(await storage.users.findById(german.id)).toEqual(german);
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

      it('refuses a user whose username skeleton is taken, even by many simultaneous sign-ups', async () => {
        const u = aUser({ usernameSkeleton: 'alice' });
        expect(await storage.users.create(u)).toBe(true);
        expect(await storage.users.create(aUser({ usernameSkeleton: 'alice' }))).toBe(false);
        const results = await Promise.all(Array.from({ length: 20 }, () => storage.users.create(aUser({ usernameSkeleton: 'bob' }))));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('lists users without a skeleton and gives each one once, unless another user holds it', async () => {
        const [a, b, c] = ['a', 'b', 'c'].map((x) => aUser({ id: `legacy-${x}`, usernameSkeleton: null }));
        for (const u of [a!, b!, c!]) expect(await storage.users.create(u)).toBe(true);
        await storage.users.create(aUser({ usernameSkeleton: 'held' }));
        expect((await storage.users.listWithoutSkeleton(null, 10)).map((u) => u.id)).toEqual(['legacy-a', 'legacy-b', 'legacy-c']);
        expect((await storage.users.listWithoutSkeleton('legacy-a', 1)).map((u) => u.id)).toEqual(['legacy-b']);
        expect(await storage.users.setSkeleton('legacy-a', 'carol')).toBe(true);
        expect(await storage.users.setSkeleton('legacy-a', 'other')).toBe(false);
        expect(await storage.users.setSkeleton('legacy-b', 'carol')).toBe(false);
        expect(await storage.users.setSkeleton('legacy-c', 'held')).toBe(false);
        expect((await storage.users.findById('legacy-a'))?.usernameSkeleton).toBe('carol');
        expect((await storage.users.findById('legacy-b'))?.usernameSkeleton).toBeNull();
        expect((await storage.users.listWithoutSkeleton(null, 10)).map((u) => u.id)).toEqual(['legacy-b', 'legacy-c']);
        expect(await storage.users.create(aUser({ usernameSkeleton: 'carol' }))).toBe(false);
      });

      it('refuses a second user with the same address in any case, even by many simultaneous sign-ups', async () => {
        const u = aUser({ email: 'ann@example.org' });
        expect(await storage.users.create(u)).toBe(true);
        expect(await storage.users.create(aUser({ email: 'ANN@example.org' }))).toBe(false);
        expect((await storage.users.findByEmail('Ann@Example.org'))?.id).toBe(u.id);
        expect(await storage.users.findByEmail('nobody@example.org')).toBeNull();
        // Users without an address never collide.
        for (let i = 0; i < 3; i++) expect(await storage.users.create(aUser({ email: null }))).toBe(true);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => storage.users.create(aUser({ email: i % 2 ? 'Bob@example.org' : 'bob@example.org' }))));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('lists every user id and name in pages by id', async () => {
        for (const x of ['c', 'a', 'b']) await storage.users.create(aUser({ id: `list-${x}`, username: `Name_${x}` }));
        expect(await storage.users.listUsernames(null, 10)).toEqual([
          { id: 'list-a', username: 'Name_a' },
          { id: 'list-b', username: 'Name_b' },
          { id: 'list-c', username: 'Name_c' },
        ]);
        expect(await storage.users.listUsernames('list-a', 1)).toEqual([{ id: 'list-b', username: 'Name_b' }]);
      });

      it('replaces a password hash only when it is still the expected one', async () => {
        const u = aUser();
        await storage.users.create(u);
        expect(await storage.users.updatePasswordHash(u.id, 'stale', 'new1')).toBe(false);
        expect(await storage.users.updatePasswordHash(u.id, u.passwordHash, 'new2')).toBe(true);
        expect((await storage.users.findById(u.id))?.passwordHash).toBe('new2');
      });

      it('lets exactly one of many simultaneous changes from one password hash through, and the next change after it', async () => {
        const u = aUser();
        await storage.users.create(u);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => storage.users.updatePasswordHash(u.id, u.passwordHash, `racer-${i}`)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = `racer-${results.indexOf(true)}`;
        expect((await storage.users.findById(u.id))?.passwordHash).toBe(winner);
        // Back and forth (a password removed, then set again): each change is a new claim.
        expect(await storage.users.updatePasswordHash(u.id, winner, u.passwordHash)).toBe(true);
        expect(await storage.users.updatePasswordHash(u.id, u.passwordHash, winner)).toBe(true);
        expect(await storage.users.updatePasswordHash(u.id, winner, u.passwordHash)).toBe(true);
      });

      it('finds a directory person by their stable id, and refuses a second record for one id', async () => {
        const u = aUser({ directoryId: 'a1b2c3d4-0000-4000-8000-000000000001', directoryGroups: ['engineering'] });
        expect(await storage.users.create(u)).toBe(true);
        expect(await storage.users.findByDirectoryId('a1b2c3d4-0000-4000-8000-000000000001')).toEqual(u);
        expect(await storage.users.findByDirectoryId('a1b2c3d4-0000-4000-8000-000000000002')).toBeNull();
        expect(await storage.users.create(aUser({ directoryId: u.directoryId! }))).toBe(false);
        // Local accounts hold no directory id: any number of them.
        expect(await storage.users.create(aUser())).toBe(true);
        expect(await storage.users.create(aUser())).toBe(true);
      });

      it('writes the directory\'s name, display name, address and groups over a directory person\'s record, keeping what another account holds', async () => {
        const local = aUser({ email: 'taken@example.org' });
        await storage.users.create(local);
        const u = aUser({ directoryId: 'dir-1', directoryGroups: ['a'], email: 'old@example.org' });
        await storage.users.create(u);
        const renamed = { username: 'Renamed', usernameNormalized: 'renamed', usernameSkeleton: 'sk-renamed', displayName: 'New Name', email: 'new@example.org', groups: ['b', 'a'] };
        expect(await storage.users.syncFromDirectory(u.id, renamed)).toBe(true);
        expect(await storage.users.findByDirectoryId('dir-1')).toMatchObject({ username: 'Renamed', usernameNormalized: 'renamed', displayName: 'New Name', email: 'new@example.org', directoryGroups: ['a', 'b'], groups: [] });
        expect(await storage.users.syncFromDirectory(u.id, { ...renamed, username: local.username, usernameNormalized: local.usernameNormalized, email: 'TAKEN@example.org', groups: [] })).toBe(false);
        expect(await storage.users.findById(u.id)).toMatchObject({ username: 'Renamed', email: 'new@example.org', directoryGroups: [] });
        // A local account is never written over.
        expect(await storage.users.syncFromDirectory(local.id, renamed)).toBe(false);
        expect(await storage.users.findById(local.id)).toEqual(local);
      });
    });

    describe('sessions', () => {
      const now = 1_800_000_000_000;
      let k = 0;
      const aSession = (o: Partial<SessionRecord> = {}): SessionRecord => {
        k += 1;
        return {
          idHash: `h${k}`, publicId: `p${k}`, userId: 'u1', data: { userId: 'u1', aal: 2 },
          createdAt: now - 5000, lastSeenAt: now - 1000, expiresAt: now + 1000, ip: '203.0.113.7', userAgent: 'Firefox', aal: 2, ...o,
        };
      };

      it('stores a session, never overwrites one, and destroys it', async () => {
        const s = aSession();
        expect(await storage.sessions.create(s)).toBe(true);
        expect(await storage.sessions.get(s.idHash, now)).toEqual(s);
        expect(await storage.sessions.create({ ...s, userId: 'intruder' })).toBe(false);
        expect((await storage.sessions.get(s.idHash, now))?.userId).toBe('u1');
        await storage.sessions.destroy(s.idHash);
        expect(await storage.sessions.get(s.idHash, now)).toBeNull();
      });

      it("reads a session for forward-auth as get() does, with its user's names where the store brings them", async () => {
        await storage.users.create(aUser({ id: 'u1', username: 'Ann', usernameNormalized: 'ann', displayName: 'Ann A.', groups: ['staff'] }));
        const s = aSession();
        await storage.sessions.create(s);
        const read = await storage.sessions.getWithUser(s.idHash, now);
        const { user, ...record } = read!;
        expect(record).toEqual(s);
        // A store that cannot join leaves the names to the identity cache (undefined), never wrong ones.
        if (user !== undefined) expect(user).toEqual({ username: 'Ann', displayName: 'Ann A.', groups: ['staff'] });
        const anonymous = aSession({ userId: null, data: {} });
        await storage.sessions.create(anonymous);
        expect([null, undefined]).toContain((await storage.sessions.getWithUser(anonymous.idHash, now))!.user);
        expect(await storage.sessions.getWithUser(s.idHash, now + 1000)).toBeNull();
        await storage.sessions.destroy(s.idHash);
        expect(await storage.sessions.getWithUser(s.idHash, now)).toBeNull();
      });

      it('does not return a session once it has expired, even before any cleanup', async () => {
        const s = aSession({ userId: null, data: {} });
        await storage.sessions.create(s);
        expect(await storage.sessions.get(s.idHash, now + 999)).not.toBeNull();
        expect(await storage.sessions.get(s.idHash, now + 1000)).toBeNull();
      });

      it('updates a live session in place: the data when given, the sign of life always', async () => {
        const s = aSession();
        await storage.sessions.create(s);
        expect(await storage.sessions.update(s.idHash, { lastSeenAt: now, expiresAt: now + 5000, ip: '198.51.100.1' }, now)).toBe(true);
        expect(await storage.sessions.get(s.idHash, now)).toEqual({ ...s, lastSeenAt: now, expiresAt: now + 5000, ip: '198.51.100.1' });
        expect(await storage.sessions.update(s.idHash, { data: { userId: 'u1', aal: 2, binding: 'b' }, lastSeenAt: now + 1, expiresAt: now + 5000, ip: null }, now)).toBe(true);
        expect((await storage.sessions.get(s.idHash, now))?.data).toEqual({ userId: 'u1', aal: 2, binding: 'b' });
      });

      it('never writes back a session that was destroyed or has expired (no upsert)', async () => {
        const gone = aSession();
        await storage.sessions.create(gone);
        await storage.sessions.destroy(gone.idHash);
        expect(await storage.sessions.update(gone.idHash, { data: { userId: 'u1' }, lastSeenAt: now, expiresAt: now + 60_000, ip: null }, now)).toBe(false);
        expect(await storage.sessions.get(gone.idHash, now)).toBeNull();
        const expired = aSession({ expiresAt: now - 1 });
        await storage.sessions.create(expired);
        expect(await storage.sessions.update(expired.idHash, { lastSeenAt: now, expiresAt: now + 60_000, ip: null }, now)).toBe(false);
        expect(await storage.sessions.get(expired.idHash, now)).toBeNull();
      });

      it('rotates a live session to a new id, and refuses to rotate one that has ended', async () => {
        const old = aSession();
        await storage.sessions.create(old);
        const next = aSession({ publicId: old.publicId });
        expect(await storage.sessions.rotate(old.idHash, next, now)).toBe(true);
        expect(await storage.sessions.get(old.idHash, now)).toBeNull();
        expect(await storage.sessions.get(next.idHash, now)).toEqual(next);
        const ended = aSession();
        await storage.sessions.create(ended);
        await storage.sessions.destroy(ended.idHash);
        const revived = aSession();
        expect(await storage.sessions.rotate(ended.idHash, revived, now)).toBe(false);
        expect(await storage.sessions.get(revived.idHash, now)).toBeNull();
      });

      it('lets one of many simultaneous rotations of a session win', async () => {
        const old = aSession();
        await storage.sessions.create(old);
        const nexts = Array.from({ length: 10 }, () => aSession());
        const results = await Promise.all(nexts.map((n) => storage.sessions.rotate(old.idHash, n, now)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const alive = await Promise.all(nexts.map((n) => storage.sessions.get(n.idHash, now)));
        expect(alive.filter(Boolean)).toHaveLength(1);
      });

      it('lists a user\'s live sessions, most recently seen first', async () => {
        const older = aSession({ lastSeenAt: now - 500 });
        const newer = aSession({ lastSeenAt: now - 100 });
        await storage.sessions.create(older);
        await storage.sessions.create(newer);
        await storage.sessions.create(aSession({ expiresAt: now - 1 }));
        await storage.sessions.create(aSession({ userId: 'u2' }));
        expect((await storage.sessions.listForUser('u1', now)).map((s) => s.idHash)).toEqual([newer.idHash, older.idHash]);
      });

      it('ends a session by its public handle, only for its owner', async () => {
        const s = aSession();
        await storage.sessions.create(s);
        expect(await storage.sessions.destroyByPublicId('u2', s.publicId)).toBe(false);
        expect(await storage.sessions.get(s.idHash, now)).not.toBeNull();
        expect(await storage.sessions.destroyByPublicId('u1', s.publicId)).toBe(true);
        expect(await storage.sessions.get(s.idHash, now)).toBeNull();
        expect(await storage.sessions.destroyByPublicId('u1', s.publicId)).toBe(false);
      });

      it('signs one user out everywhere, or everywhere but one session, and leaves other users alone', async () => {
        const [a1, a2, a3, b1] = [aSession({ userId: 'ua' }), aSession({ userId: 'ua' }), aSession({ userId: 'ua' }), aSession({ userId: 'ub' })];
        for (const s of [a1!, a2!, a3!, b1!]) await storage.sessions.create(s);
        expect(await storage.sessions.destroyAllForUser('ua', a1!.idHash)).toBe(2);
        expect(await storage.sessions.get(a1!.idHash, now)).not.toBeNull();
        expect(await storage.sessions.get(a2!.idHash, now)).toBeNull();
        expect(await storage.sessions.destroyAllForUser('ua')).toBe(1);
        expect(await storage.sessions.get(a1!.idHash, now)).toBeNull();
        expect(await storage.sessions.get(b1!.idHash, now)).not.toBeNull();
      });

      it('sweeps expired sessions away and keeps live ones', async () => {
        const old = aSession({ expiresAt: now - 1 });
        const live = aSession();
        await storage.sessions.create(old);
        await storage.sessions.create(live);
        await storage.sweepExpired(now);
        // Asking with an earlier "now" would still return a row that was not deleted.
        expect(await storage.sessions.get(old.idHash, now - 10)).toBeNull();
        expect(await storage.sessions.get(live.idHash, now)).not.toBeNull();
      });
    });

    it('answers a ping while the database is there', async () => {
      await expect(storage.ping()).resolves.toBeUndefined();
    });
  });
}
