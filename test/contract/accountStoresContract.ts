// Contract for the stores behind notices, administration and the audit queries (the
// brute-force buckets have their own: attemptStoreContract.ts).
import { describe, expect, it } from 'vitest';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';
import { aUser } from './storageContract.js';

const NOW = 1_800_000_000_000;

export function accountStoresContract(factory: StorageFactory): void {
  describe(`notice, role and audit-query stores: ${factory.name}`, () => {
    const storage = useStorage(factory);

    it('keeps notices unread until marked, newest first, per user', async () => {
      for (const [id, at] of [['n1', NOW], ['n2', NOW + 1], ['n3', NOW + 2]] as const) {
        await storage.notices.add({ id, userId: 'u1', type: 'factor.added', message: `m ${id}`, createdAt: at, readAt: null });
      }
      await storage.notices.add({ id: 'n4', userId: 'u2', type: 'lockout', message: 'x', createdAt: NOW, readAt: null });
      expect((await storage.notices.listUnread('u1', 10)).map((n) => n.id)).toEqual(['n3', 'n2', 'n1']);
      expect(await storage.notices.markRead('u1', ['n2', 'n4'], NOW + 5)).toBe(1);
      expect((await storage.notices.listUnread('u1', 10)).map((n) => n.id)).toEqual(['n3', 'n1']);
      expect(await storage.notices.markRead('u1', null, NOW + 6)).toBe(2);
      expect(await storage.notices.listUnread('u1', 10)).toEqual([]);
      expect(await storage.notices.listUnread('u2', 10)).toHaveLength(1);
    });

    it('keeps one pending address per user, and spends its token exactly once', async () => {
      const pending = (tokenHash: string, userId: string, address: string, at: number) => ({ tokenHash, userId, address, createdAt: at, expiresAt: at + 1000 });
      await storage.noticeAddresses.savePending(pending('t1', 'u1', 'old@example.org', NOW));
      await storage.noticeAddresses.savePending(pending('t2', 'u1', 'new@example.org', NOW + 1));
      await storage.noticeAddresses.savePending(pending('t3', 'u2', 'other@example.org', NOW));
      expect(await storage.noticeAddresses.consumePending('t1')).toBeNull(); // replaced: the old link is void
      expect(await storage.noticeAddresses.findPending('u1', NOW + 2)).toMatchObject({ tokenHash: 't2', address: 'new@example.org' });
      expect(await storage.noticeAddresses.findPending('u1', NOW + 1001)).toBeNull(); // expired
      const results = await Promise.all(Array.from({ length: 20 }, () => storage.noticeAddresses.consumePending('t2')));
      expect(results.filter(Boolean)).toEqual([pending('t2', 'u1', 'new@example.org', NOW + 1)]);
      expect(await storage.noticeAddresses.findPending('u1', NOW + 2)).toBeNull();
      expect(await storage.noticeAddresses.findPending('u2', NOW + 2)).not.toBeNull();
    });

    it('sets, replaces and removes a confirmed address', async () => {
      expect(await storage.noticeAddresses.findConfirmed('u1')).toBeNull();
      await storage.noticeAddresses.setConfirmed({ userId: 'u1', address: 'a@example.org', confirmedAt: NOW });
      await storage.noticeAddresses.setConfirmed({ userId: 'u1', address: 'b@example.org', confirmedAt: NOW + 1 });
      await storage.noticeAddresses.setConfirmed({ userId: 'u2', address: 'c@example.org', confirmedAt: NOW });
      expect(await storage.noticeAddresses.findConfirmed('u1')).toEqual({ userId: 'u1', address: 'b@example.org', confirmedAt: NOW + 1 });
      await storage.noticeAddresses.savePending({ tokenHash: 'p1', userId: 'u1', address: 'd@example.org', createdAt: NOW, expiresAt: NOW + 1000 });
      expect(await storage.noticeAddresses.removeForUser('u1')).toBe(2);
      expect(await storage.noticeAddresses.findConfirmed('u1')).toBeNull();
      expect(await storage.noticeAddresses.consumePending('p1')).toBeNull();
      expect(await storage.noticeAddresses.findConfirmed('u2')).not.toBeNull();
    });

    it('finds a confirmed address without regard to case, and only a confirmed one', async () => {
      await storage.noticeAddresses.setConfirmed({ userId: 'u1', address: 'Ann.Lee+x@Example.org', confirmedAt: NOW });
      await storage.noticeAddresses.savePending({ tokenHash: 'p2', userId: 'u2', address: 'pending@example.org', createdAt: NOW, expiresAt: NOW + 1000 });
      expect(await storage.noticeAddresses.findConfirmedByAddress('ann.lee+x@example.ORG')).toEqual({ userId: 'u1', address: 'Ann.Lee+x@Example.org', confirmedAt: NOW });
      // The dot and plus are literal characters, not patterns.
      expect(await storage.noticeAddresses.findConfirmedByAddress('annxlee+x@example.org')).toBeNull();
      expect(await storage.noticeAddresses.findConfirmedByAddress('ann.lee@example.org')).toBeNull();
      expect(await storage.noticeAddresses.findConfirmedByAddress('pending@example.org')).toBeNull();
    });

    it('grants and revokes a role once, and finds users by username prefix', async () => {
      const u = aUser({ usernameNormalized: 'zed_admin', username: 'Zed_Admin' });
      await storage.users.create(u);
      await storage.users.create(aUser({ usernameNormalized: 'zed%other', username: 'zed%other' }));
      expect(await storage.users.setRole('zed_admin', 'admin', true)).toBe(true);
      expect(await storage.users.setRole('zed_admin', 'admin', true)).toBe(true);
      expect((await storage.users.findById(u.id))?.roles).toEqual(['admin']);
      expect(await storage.users.setRole('zed_admin', 'admin', false)).toBe(true);
      expect((await storage.users.findById(u.id))?.roles).toEqual([]);
      expect(await storage.users.setRole('nobody', 'admin', true)).toBe(false);
      expect((await storage.users.search('zed', 10)).map((x) => x.usernameNormalized)).toEqual(['zed%other', 'zed_admin']);
      expect((await storage.users.search('zed%', 10)).map((x) => x.usernameNormalized)).toEqual(['zed%other']);
      expect((await storage.users.search('zed.', 10))).toEqual([]);
      // The next page starts after the last name of the one before.
      expect((await storage.users.search('zed', 1, 'zed%other')).map((x) => x.usernameNormalized)).toEqual(['zed_admin']);
      expect((await storage.users.search('zed', 10, 'zed_admin'))).toEqual([]);
      expect((await storage.users.search('', 10, 'zed')).map((x) => x.usernameNormalized)).toEqual(['zed%other', 'zed_admin']);
    });

    it('queries the audit trail by user, type and time, newest first', async () => {
      const e = (i: number, userId: string, type: string) => ({ id: `e${i}`, at: NOW + i * 1000, type, outcome: 'success' as const, userId, ip: null, userAgent: null, requestId: null, details: {} });
      await storage.audit.append(e(1, 'u1', 'a'));
      await storage.audit.append(e(2, 'u2', 'a'));
      await storage.audit.append(e(3, 'u1', 'b'));
      await storage.audit.append(e(4, 'u1', 'a'));
      expect((await storage.audit.query({ limit: 10 })).map((x) => x.id)).toEqual(['e4', 'e3', 'e2', 'e1']);
      expect((await storage.audit.query({ userId: 'u1', type: 'a', limit: 10 })).map((x) => x.id)).toEqual(['e4', 'e1']);
      expect((await storage.audit.query({ from: NOW + 2000, to: NOW + 3000, limit: 10 })).map((x) => x.id)).toEqual(['e3', 'e2']);
      expect((await storage.audit.query({ before: NOW + 3000, limit: 1 })).map((x) => x.id)).toEqual(['e2']);
    });

    it("pages a user's events by (time, id) without skipping events of the same millisecond", async () => {
      // Ids that sort against the written order: the tie is broken by the order written, not by id.
      const ids = ['m5', 'm1', 'm4', 'm2', 'm3', 'older'];
      for (const [i, id] of ids.entries()) {
        await storage.audit.append({ id, at: id === 'older' ? NOW - 1 : NOW, type: 't', outcome: 'info', userId: 'u1', ip: null, userAgent: null, requestId: null, details: { i } });
      }
      await storage.audit.append({ id: 'other', at: NOW, type: 't', outcome: 'info', userId: 'u2', ip: null, userAgent: null, requestId: null, details: {} });
      const seen: string[] = [];
      let page = await storage.audit.listForUser('u1', { limit: 2 });
      while (page.length > 0) {
        seen.push(...page.map((x) => x.id));
        const last = page[page.length - 1]!;
        page = await storage.audit.listForUser('u1', { limit: 2, before: last.at, beforeId: last.id });
      }
      expect(seen).toEqual(['m3', 'm2', 'm4', 'm1', 'm5', 'older']);
      // Without an id, `before` alone still bounds by time; another user's id is no cursor.
      expect((await storage.audit.listForUser('u1', { limit: 10, before: NOW })).map((x) => x.id)).toEqual(['older']);
      expect((await storage.audit.listForUser('u1', { limit: 10, before: NOW, beforeId: 'other' })).map((x) => x.id)).toEqual(['older']);
    });
  });
}
