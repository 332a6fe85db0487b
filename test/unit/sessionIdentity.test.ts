import { describe, expect, it } from 'vitest';
import { createSessionIdentity } from '../../server/protect/createSessionIdentity.js';
import type { UserRecord, UserStore } from '../../server/storage/port.js';
import type { SessionView } from '../../server/session/sessionState.js';
import { createTestClock } from '../helpers/testClock.js';

function fakeUsers(records: UserRecord[]) {
  const byId = new Map(records.map((u) => [u.id, u]));
  let reads = 0;
  const store = {
    findById: async (id: string) => {
      reads += 1;
      return byId.get(id) ?? null;
    },
  } as unknown as UserStore;
  return { store, byId, reads: () => reads };
}

const alice: UserRecord = { id: 'u1', username: 'alice', usernameNormalized: 'alice', usernameSkeleton: 'alice', displayName: 'Alice', passwordHash: 'x', roles: [], groups: [], email: null, createdAt: 0, language: null };
const signedIn: SessionView = { status: 'authenticated', userId: 'u1', aal: 2, amr: ['pwd', 'hwk'], authenticatedAt: 1000 };

describe('session identity (who a session belongs to, for the apps behind Keyward)', () => {
  it('describes a fully signed-in session and nothing else', async () => {
    const users = fakeUsers([alice]);
    const identity = createSessionIdentity({ users: users.store, clock: createTestClock() });
    expect(await identity.identify(signedIn)).toEqual({ id: 'u1', username: 'alice', displayName: 'Alice', groups: [], aal: 2, amr: ['pwd', 'hwk'], authenticatedAt: 1000 });
    for (const status of ['anonymous', 'mfa_required', 'enroll_required'] as const) {
      expect(await identity.identify({ ...signedIn, status })).toBeNull();
    }
  });

  it('reads a user\'s names once a minute, not on every request, and takes the level from the session each time', async () => {
    const users = fakeUsers([alice]);
    const clock = createTestClock();
    const identity = createSessionIdentity({ users: users.store, clock });
    await identity.identify(signedIn);
    expect((await identity.identify({ ...signedIn, aal: 1, amr: ['pwd'] }))?.aal).toBe(1);
    expect(users.reads()).toBe(1);
    users.byId.set('u1', { ...alice, displayName: 'Alice B.' });
    clock.advance(60_000);
    expect((await identity.identify(signedIn))?.displayName).toBe('Alice B.');
    expect(users.reads()).toBe(2);
  });

  it('forgets the oldest names beyond its bound, and never remembers a missing user', async () => {
    const users = fakeUsers([alice, { ...alice, id: 'u2', username: 'bob' }]);
    const identity = createSessionIdentity({ users: users.store, clock: createTestClock(), cacheEntries: 1 });
    await identity.identify(signedIn);
    await identity.identify({ ...signedIn, userId: 'u2' });
    await identity.identify(signedIn);
    expect(users.reads()).toBe(3);
    expect(await identity.identify({ ...signedIn, userId: 'gone' })).toBeNull();
    expect(await identity.identify({ ...signedIn, userId: 'gone' })).toBeNull();
    expect(users.reads()).toBe(5);
  });
});
