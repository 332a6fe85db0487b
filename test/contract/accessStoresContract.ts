// Contract for who may get in: invitations and enrolment links, and users' groups.
import { describe, expect, it } from 'vitest';
import type { InvitationRecord } from '../../server/storage/port.js';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';
import { aUser } from './storageContract.js';

const NOW = 1_800_000_000_000;

function anInvitation(overrides: Partial<InvitationRecord> = {}): InvitationRecord {
  return {
    tokenHash: `hash-${Math.random().toString(36).slice(2)}`,
    kind: 'invitation',
    email: 'ann@example.com',
    groups: ['staff'],
    userId: null,
    createdBy: 'admin-1',
    createdAt: NOW,
    expiresAt: NOW + 60_000,
    ...overrides,
  };
}

export function accessStoresContract(factory: StorageFactory): void {
  describe(`invitation store and groups: ${factory.name}`, () => {
    const storage = useStorage(factory);

    it('finds an invitation until it is used, and hands it to its first use only', async () => {
      const inv = anInvitation();
      await storage.invitations.create(inv);
      expect(await storage.invitations.find(inv.tokenHash, 'invitation', NOW)).toEqual(inv);
      expect(await storage.invitations.consume(inv.tokenHash, 'invitation', NOW)).toEqual(inv);
      expect(await storage.invitations.consume(inv.tokenHash, 'invitation', NOW)).toBeNull();
      expect(await storage.invitations.find(inv.tokenHash, 'invitation', NOW)).toBeNull();
    });

    it('refuses an expired link and a link of the other kind', async () => {
      const inv = anInvitation({ kind: 'enrolment', userId: 'u1', email: null });
      await storage.invitations.create(inv);
      expect(await storage.invitations.consume(inv.tokenHash, 'invitation', NOW)).toBeNull();
      expect(await storage.invitations.find(inv.tokenHash, 'enrolment', inv.expiresAt)).toBeNull();
      expect(await storage.invitations.consume(inv.tokenHash, 'enrolment', inv.expiresAt)).toBeNull();
      expect(await storage.invitations.consume(inv.tokenHash, 'enrolment', inv.expiresAt - 1)).toEqual(inv);
    });

    it('lets exactly one of 50 simultaneous uses of one invitation have it', async () => {
      const inv = anInvitation();
      await storage.invitations.create(inv);
      const results = await Promise.all(Array.from({ length: 50 }, () => storage.invitations.consume(inv.tokenHash, 'invitation', NOW)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("removes every link of one kind bound to one user, and nobody else's", async () => {
      const a1 = anInvitation({ tokenHash: 'h-a1', kind: 'password_reset', userId: 'u1', email: null });
      const a2 = anInvitation({ tokenHash: 'h-a2', kind: 'password_reset', userId: 'u1', email: null });
      const enrol = anInvitation({ tokenHash: 'h-e1', kind: 'enrolment', userId: 'u1', email: null });
      const other = anInvitation({ tokenHash: 'h-b1', kind: 'password_reset', userId: 'u2', email: null });
      for (const r of [a1, a2, enrol, other]) await storage.invitations.create(r);
      expect(await storage.invitations.removeForUser('u1', 'password_reset')).toBe(2);
      expect(await storage.invitations.find(a1.tokenHash, 'password_reset', NOW)).toBeNull();
      expect(await storage.invitations.find(a2.tokenHash, 'password_reset', NOW)).toBeNull();
      expect(await storage.invitations.find(enrol.tokenHash, 'enrolment', NOW)).toEqual(enrol);
      expect(await storage.invitations.find(other.tokenHash, 'password_reset', NOW)).toEqual(other);
      expect(await storage.invitations.removeForUser('u1', 'password_reset')).toBe(0);
    });

    it('sweeps expired links away', async () => {
      const old = anInvitation({ expiresAt: NOW - 1 });
      await storage.invitations.create(old);
      await storage.sweepExpired(NOW);
      expect(await storage.invitations.find(old.tokenHash, 'invitation', NOW - 10)).toBeNull();
    });

    it('stores groups and e-mail with the user, and adds and removes groups', async () => {
      const u = aUser({ groups: ['a'], email: 'u@example.com' });
      await storage.users.create(u);
      expect(await storage.users.findById(u.id)).toEqual(u);
      expect((await storage.users.changeGroups(u.id, ['b', 'c', 'a'], []))?.groups.sort()).toEqual(['a', 'b', 'c']);
      expect((await storage.users.changeGroups(u.id, [], ['a', 'zz']))?.groups.sort()).toEqual(['b', 'c']);
      expect((await storage.users.changeGroups(u.id, ['d'], ['b']))?.groups.sort()).toEqual(['c', 'd']);
      expect(await storage.users.changeGroups('nobody', ['x'], [])).toBeNull();
    });

    it('keeps both of two simultaneous group additions', async () => {
      const u = aUser();
      await storage.users.create(u);
      await Promise.all([storage.users.changeGroups(u.id, ['x'], []), storage.users.changeGroups(u.id, ['y'], [])]);
      expect((await storage.users.findById(u.id))?.groups.sort()).toEqual(['x', 'y']);
    });
  });
}
