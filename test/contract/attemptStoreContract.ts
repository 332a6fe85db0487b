// Contract for the brute-force buckets: reservation, back-off, release, unlock. Every
// decision is one atomic step in the database, so simultaneous callers cannot overshoot.
import { describe, expect, it } from 'vitest';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';
import type { AttemptBucket } from '../../server/storage/port.js';

const NOW = 1_800_000_000_000;
const MIN = 60_000;
const BACKOFF = { baseMs: MIN, maxMs: 60 * MIN, memoryMs: 24 * 60 * MIN };

function bucket(key: string, over: Partial<AttemptBucket> = {}): AttemptBucket {
  return { key, account: 'alice', max: 3, windowMs: 15 * MIN, expiresAt: NOW + 2 * BACKOFF.memoryMs, ...over };
}

export function attemptStoreContract(factory: StorageFactory): void {
  describe(`attempt store: ${factory.name}`, () => {
    const storage = useStorage(factory);
    const reserved = async (b: AttemptBucket, now: number) => (await storage.attempts.reserve(b, now)).reserved;

    it('reserves up to the window budget, refuses the next, and starts a new window when it ends', async () => {
      const b = bucket('acct-ip:alice|1.2.3.4');
      for (let i = 0; i < 3; i++) expect(await reserved(b, NOW + i)).toBe(true);
      expect(await storage.attempts.reserve(b, NOW + 10)).toEqual({ reserved: false, blockedUntil: null, windowEnd: NOW + 15 * MIN });
      expect(await reserved(b, NOW + 15 * MIN)).toBe(true);
      // Other keys have their own budget.
      expect(await reserved(bucket('acct:alice'), NOW + 10)).toBe(true);
    });

    it('gives back one reserved attempt, or forgets the whole window', async () => {
      const b = bucket('k1');
      const tickets = [];
      for (let i = 0; i < 3; i++) {
        const r = await storage.attempts.reserve(b, NOW);
        if (r.reserved) tickets.push(r.ticket);
      }
      await storage.attempts.release(tickets[0]!, false);
      expect(await reserved(b, NOW)).toBe(true);
      expect(await reserved(b, NOW)).toBe(false);
      await storage.attempts.release(tickets[1]!, true);
      for (let i = 0; i < 3; i++) expect(await reserved(b, NOW)).toBe(true);
    });

    it('starts a back-off when a failure finds the window spent, and doubles it while remembered', async () => {
      const b = bucket('k2');
      await reserved(b, NOW);
      expect(await storage.attempts.recordFailure(b, NOW, BACKOFF)).toBeNull();
      await reserved(b, NOW);
      await reserved(b, NOW);
      expect(await storage.attempts.recordFailure(b, NOW + 1, BACKOFF)).toBe(NOW + 1 + MIN);
      // A failure already in flight does not lengthen a running back-off.
      expect(await storage.attempts.recordFailure(b, NOW + 2, BACKOFF)).toBeNull();
      expect(await storage.attempts.reserve(b, NOW + 2)).toMatchObject({ reserved: false, blockedUntil: NOW + 1 + MIN });
      // Afterwards the window holds one attempt at a time, and its failure backs off twice as long.
      const after = NOW + 1 + MIN;
      expect(await reserved(b, after)).toBe(true);
      expect(await reserved(b, after)).toBe(false);
      expect(await storage.attempts.recordFailure(b, after, BACKOFF)).toBe(after + 2 * MIN);
      // Caps at maxMs.
      let t = after + 2 * MIN;
      for (let i = 0; i < 8; i++) {
        await reserved(b, t);
        t = (await storage.attempts.recordFailure(b, t, BACKOFF))!;
      }
      expect(await storage.attempts.reserve(b, t - 1)).toMatchObject({ reserved: false, blockedUntil: t });
      await reserved(b, t);
      expect(await storage.attempts.recordFailure(b, t, BACKOFF)).toBe(t + 60 * MIN);
    });

    it('never lets a release end a back-off', async () => {
      const b = bucket('k3', { max: 1 });
      const r = await storage.attempts.reserve(b, NOW);
      await storage.attempts.recordFailure(b, NOW, BACKOFF);
      if (r.reserved) await storage.attempts.release(r.ticket, true);
      expect(await reserved(b, NOW + 1)).toBe(false);
    });

    it('never reserves more than the budget for many simultaneous callers', async () => {
      const b = bucket('k4', { max: 5 });
      await reserved(b, NOW);
      const all = await Promise.all(Array.from({ length: 60 }, () => reserved(b, NOW)));
      expect(all.filter(Boolean).length).toBeLessThanOrEqual(4);
      // The same when the bucket does not exist yet and its window starts under the burst.
      const fresh = bucket('k5', { max: 5 });
      const first = await Promise.all(Array.from({ length: 60 }, () => reserved(fresh, NOW + 20 * MIN)));
      expect(first.filter(Boolean).length).toBeLessThanOrEqual(5);
      // Once the burst is over, what it did not take is still there (nothing lost to it).
      // Asked one at a time: callers that overlap may refuse each other (the store's promise
      // is never more than the budget, not all of it under contention), which is not a loss.
      let left = 0;
      for (let i = 0; i < 5; i++) if (await reserved(fresh, NOW + 20 * MIN)) left++;
      expect(first.filter(Boolean).length + left).toBe(5);
    });

    it('lets exactly one of many simultaneous callers claim a key in a window, and one again in the next', async () => {
      const claims = (now: number) => Promise.all(Array.from({ length: 30 }, () => storage.attempts.claimOnce('reset-mail:alice', MIN, now)));
      // Exactly one, not "at most one": a claim nobody wins would leave the thing undone.
      expect((await claims(NOW)).filter(Boolean)).toHaveLength(1);
      expect(await storage.attempts.claimOnce('reset-mail:alice', MIN, NOW + MIN - 1)).toBe(false);
      expect(await storage.attempts.claimOnce('reset-mail:bob', MIN, NOW + 1)).toBe(true);
      expect((await claims(NOW + MIN)).filter(Boolean)).toHaveLength(1);
    });

    it('starts one back-off for many simultaneous failures', async () => {
      const b = bucket('k6', { max: 5 });
      for (let i = 0; i < 5; i++) await reserved(b, NOW);
      const ends = await Promise.all(Array.from({ length: 5 }, () => storage.attempts.recordFailure(b, NOW, BACKOFF)));
      expect(ends.filter((e) => e !== null)).toEqual([NOW + MIN]);
    });

    it('lists accounts with a running back-off and clears every bucket of an account', async () => {
      const alice = bucket('acct-ip:alice|1.2.3.4', { max: 1 });
      await reserved(alice, NOW);
      await storage.attempts.recordFailure(alice, NOW, BACKOFF);
      await reserved(bucket('acct:alice'), NOW);
      await reserved(bucket('ip:1.2.3.4', { account: null, max: 1 }), NOW);
      expect(await storage.attempts.lockedAccounts(['alice', 'bob'], NOW + 10)).toEqual(['alice']);
      expect(await storage.attempts.lockedAccounts(['alice'], NOW + MIN)).toEqual([]);
      expect(await storage.attempts.clearAccount('alice')).toBeGreaterThan(0);
      expect(await storage.attempts.lockedAccounts(['alice'], NOW + 10)).toEqual([]);
      expect(await reserved(alice, NOW + 10)).toBe(true);
      // The per-IP bucket names no account: unlock leaves it.
      expect(await reserved(bucket('ip:1.2.3.4', { account: null, max: 1 }), NOW + 10)).toBe(false);
    });
  });
}
