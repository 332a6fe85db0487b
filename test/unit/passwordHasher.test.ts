import { describe, expect, it } from 'vitest';
import { createPasswordHasher, OWASP_ARGON2ID } from '../../server/accounts/passwordHasher.js';
import { createAccountService } from '../../server/accounts/createAccountService.js';
import { cryptoRandom, systemClock } from '../../server/clock.js';
import type { PasswordHasher } from '../../server/accounts/passwordHasher.js';
import type { UserRecord, UserStore } from '../../server/storage/port.js';

describe('password hashing', () => {
  const hasher = createPasswordHasher();

  it('uses Argon2id with at least OWASP parameters (19 MiB, t=2, p=1) and a random salt', async () => {
    expect(OWASP_ARGON2ID).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const a = await hasher.hash('correct horse battery staple');
    const b = await hasher.hash('correct horse battery staple');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(a, 'correct horse battery stapler')).toBe(false);
  });

  it('treats a corrupt stored hash as a failed check, not a crash', async () => {
    expect(await hasher.verify('$argon2id$garbage', 'pw')).toBe(false);
  });

  it('refuses every password for an account added without one (its unusable marker)', async () => {
    expect(await hasher.verify('!unset', '!unset')).toBe(false);
    expect(await hasher.verify('!unset', '')).toBe(false);
  });

  it('asks for a rehash when the stored parameters are weaker than the current ones', async () => {
    const weak = await createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }).hash('pw');
    expect(hasher.needsRehash(weak)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('pw'))).toBe(false);
  });
});

describe('password check', () => {
  // Counts the expensive operations each path performs: the timing defence is that an
  // unknown username costs exactly one Argon2id verification, like a wrong password.
  function counting(inner: PasswordHasher) {
    const calls: string[] = [];
    const hasher: PasswordHasher = {
      hash: (p) => (calls.push('hash'), inner.hash(p)),
      verify: (h, p) => (calls.push('verify'), inner.verify(h, p)),
      verifyNothing: (p) => (calls.push('verify'), inner.verifyNothing(p)),
      needsRehash: (h) => inner.needsRehash(h),
    };
    return { hasher, calls };
  }

  // No one has confirmed a notice address in these tests.
  const noAddresses = { findConfirmedByAddress: async () => null };

  function memoryUsers(): UserStore {
    const byId = new Map<string, UserRecord>();
    return {
      async create(u) {
        if ([...byId.values()].some((x) => x.usernameNormalized === u.usernameNormalized)) return false;
        byId.set(u.id, u);
        return true;
      },
      async findById(id) {
        return byId.get(id) ?? null;
      },
      async findByUsername(n) {
        return [...byId.values()].find((u) => u.usernameNormalized === n) ?? null;
      },
      async findByDirectoryId() {
        return null;
      },
      async syncFromDirectory() {
        return false;
      },
      async changeGroups() {
        return null;
      },
      async setRole() {
        return false;
      },
      async setLanguage() {
        return false;
      },
      async search() {
        return [];
      },
      async listUsernames() {
        return [];
      },
      async findByEmail() {
        return null;
      },
      async listWithoutSkeleton() {
        return [];
      },
      async setSkeleton() {
        return false;
      },
      async updatePasswordHash(id, expected, next) {
        const u = byId.get(id);
        if (!u || u.passwordHash !== expected) return false;
        byId.set(id, { ...u, passwordHash: next });
        return true;
      },
    };
  }

  it('does the same Argon2id work for an unknown username as for a wrong password', async () => {
    const { hasher, calls } = counting(createPasswordHasher());
    const accounts = createAccountService({ users: memoryUsers(), noticeAddresses: noAddresses, hasher, clock: systemClock, random: cryptoRandom });
    await accounts.register({ username: 'alice', password: 'correct horse battery staple' });
    calls.length = 0;
    expect(await accounts.checkPassword({ username: 'alice', password: 'wrong' })).toBeNull();
    const wrongPath = [...calls];
    calls.length = 0;
    expect(await accounts.checkPassword({ username: 'nobody', password: 'wrong' })).toBeNull();
    expect(calls).toEqual(wrongPath);
    expect(calls).toEqual(['verify']);
  });

  it('does the same work for an unknown username as for a wrong password typed in a non-NFC form', async () => {
    const { hasher, calls } = counting(createPasswordHasher());
    const accounts = createAccountService({ users: memoryUsers(), noticeAddresses: noAddresses, hasher, clock: systemClock, random: cryptoRandom });
    await accounts.register({ username: 'alice', password: 'correct horse battery staple' });
    const decomposed = 'wrong cafe\u0301 guess';
    calls.length = 0;
    expect(await accounts.checkPassword({ username: 'alice', password: decomposed })).toBeNull();
    const wrongPath = [...calls];
    calls.length = 0;
    expect(await accounts.checkPassword({ username: 'nobody', password: decomposed })).toBeNull();
    expect(calls).toEqual(wrongPath);
    expect(calls).toEqual(['verify', 'verify']);
  });

  it('upgrades a weak stored hash after a successful sign-in', async () => {
    const users = memoryUsers();
    const weak = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    const old = createAccountService({ users, noticeAddresses: noAddresses, hasher: weak, clock: systemClock, random: cryptoRandom });
    const u = await old.register({ username: 'alice', password: 'correct horse battery staple' });
    const current = createAccountService({ users, noticeAddresses: noAddresses, hasher: createPasswordHasher(), clock: systemClock, random: cryptoRandom });
    expect(await current.checkPassword({ username: 'alice', password: 'correct horse battery staple' })).not.toBeNull();
    expect((await users.findById(u.id))?.passwordHash).toMatch(/m=19456,t=2,p=1/);
  });
});
