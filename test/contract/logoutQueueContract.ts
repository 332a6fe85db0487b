// Contract for the back-channel logout queue: each owed logout is queued once, claimed by one
// caller at a time (however many ask at once), retried when it failed and only when due, and
// never claimed again once done.
import { describe, expect, it } from 'vitest';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';

const NOW = 1_800_000_000_000;
const LEASE = 5 * 60_000;
const owed = (id: string) => ({ id, clientId: 'app', sub: 'alice', sid: `sid-${id}` });

export function logoutQueueContract(factory: StorageFactory): void {
  describe(`logout queue: ${factory.name}`, () => {
    const storage = useStorage(factory);
    const q = () => storage.logoutQueue;

    it('queues a logout once: the same one owed again, pending or delivered, is not queued twice', async () => {
      await q().enqueue([owed('a'), owed('a')], NOW);
      await q().enqueue([owed('a')], NOW);
      const [first, ...rest] = await q().claim(NOW, LEASE, 10);
      expect(rest).toEqual([]);
      expect(first).toMatchObject({ id: 'a', clientId: 'app', sub: 'alice', sid: 'sid-a', attempts: 0 });
      await q().finish('a', first!.round, NOW + 86400_000);
      await q().enqueue([owed('a')], NOW + 1);
      expect(await q().claim(NOW + LEASE * 2, LEASE, 10)).toEqual([]);
    });

    it('leases what it hands out: not again while the lease runs, again once it has run out (its holder died)', async () => {
      await q().enqueue([owed('b')], NOW);
      const [held] = await q().claim(NOW, LEASE, 10);
      expect(await q().claim(NOW + LEASE - 1, LEASE, 10)).toEqual([]);
      const [again] = await q().claim(NOW + LEASE, LEASE, 10);
      expect(again).toMatchObject({ id: 'b' });
      expect(again!.round).toBeGreaterThan(held!.round);
      // The first holder's late answer changes nothing: it no longer holds the latest claim.
      await q().finish('b', held!.round, NOW + 86400_000);
      await q().retry('b', again!.round, NOW + LEASE + 30_000);
      expect(await q().claim(NOW + LEASE + 30_000 - 1, LEASE, 10)).toEqual([]);
      expect(await q().claim(NOW + LEASE + 30_000, LEASE, 10)).toMatchObject([{ id: 'b', attempts: 1 }]);
    });

    it('hands a failed delivery out again only when it is due, counting the attempts', async () => {
      await q().enqueue([owed('c')], NOW);
      let [d] = await q().claim(NOW, LEASE, 10);
      await q().retry('c', d!.round, NOW + 1000);
      expect(await q().claim(NOW + 999, LEASE, 10)).toEqual([]);
      [d] = await q().claim(NOW + 1000, LEASE, 10);
      expect(d).toMatchObject({ id: 'c', attempts: 1 });
      await q().retry('c', d!.round, NOW + 3000);
      [d] = await q().claim(NOW + 3000, LEASE, 10);
      expect(d).toMatchObject({ attempts: 2 });
      await q().finish('c', d!.round, NOW + 86400_000);
      expect(await q().claim(NOW + 86400_000 * 10, LEASE, 10)).toEqual([]);
    });

    it('hands each due logout to exactly one of many simultaneous callers, and loses none', async () => {
      const ids = Array.from({ length: 12 }, (_, i) => `p${i}`);
      await q().enqueue(ids.map(owed), NOW);
      const claims = await Promise.all(Array.from({ length: 20 }, () => q().claim(NOW, LEASE, 5)));
      const claimed = claims.flat().map((d) => d.id);
      expect(new Set(claimed).size).toBe(claimed.length);
      // Whatever a caller found taken by another is still there for the next run.
      const rest = (await q().claim(NOW, LEASE, 100)).map((d) => d.id);
      expect([...claimed, ...rest].sort()).toEqual([...ids].sort());
    });

    it('keeps a pending logout through the expiry sweep, however long it has waited', async () => {
      await q().enqueue([owed('d'), owed('e')], NOW);
      const claimed = await q().claim(NOW, LEASE, 10);
      const e = claimed.find((x) => x.id === 'e')!;
      await q().retry('d', claimed.find((x) => x.id === 'd')!.round, NOW + 1000);
      await q().finish('e', e.round, NOW + 2000);
      await storage.sweepExpired(NOW + 10 * 86400_000);
      expect(await q().claim(NOW + 10 * 86400_000, LEASE, 10)).toMatchObject([{ id: 'd' }]);
    });
  });
}
