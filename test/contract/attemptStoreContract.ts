// Contract for the brute-force buckets: reservation, back-off, release, unlock. Every
// decision is one atomic step in the database, so simultaneous callers cannot overshoot.
import { describe, expect, it } from 'vitest';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';
import type { AttemptBucket, AttemptTicket, Backoff } from '../../server/storage/port.js';

const NOW = 1_800_000_000_000;
const MIN = 60_000;
const BACKOFF = { baseMs: MIN, maxMs: 60 * MIN, memoryMs: 24 * 60 * MIN };

function bucket(key: string, over: Partial<AttemptBucket> = {}): AttemptBucket {
  return { key, account: 'alice', max: 3, windowMs: 15 * MIN, expiresAt: NOW + 2 * BACKOFF.memoryMs, ...over };
}

export function attemptStoreContract(factory: StorageFactory): void {
  describe(`attempt store: ${factory.name}`, () => {
    const storage = useStorage(factory);
    // One bucket at a time, through the batch calls (what a single-bucket limit uses).
    const reserve = (b: AttemptBucket, now: number) => storage.attempts.reserveAll([b], now);
    const reserved = async (b: AttemptBucket, now: number) => (await reserve(b, now)).reserved;
    const ticket = async (b: AttemptBucket, now: number) => {
      const r = await reserve(b, now);
      return r.reserved ? r.tickets[0]! : null;
    };
    const release = (t: AttemptTicket, forgetWindow: boolean) => storage.attempts.releaseAll([{ ticket: t, forgetWindow }]);
    const recordFailure = async (b: AttemptBucket, now: number, backoff: Backoff) => (await storage.attempts.failAll([b], now, backoff))[0];
    /** How many more attempts a bucket takes, asked one at a time. */
    const room = async (b: AttemptBucket, now: number) => {
      let n = 0;
      while (await reserved(b, now)) n++;
      return n;
    };

    it('reserves up to the window budget, refuses the next, and starts a new window when it ends', async () => {
      const b = bucket('acct-ip:alice|1.2.3.4');
      for (let i = 0; i < 3; i++) expect(await reserved(b, NOW + i)).toBe(true);
      expect(await reserve(b, NOW + 10)).toEqual({ reserved: false, blockedUntil: null, windowEnd: NOW + 15 * MIN });
      expect(await reserved(b, NOW + 15 * MIN)).toBe(true);
      // Other keys have their own budget.
      expect(await reserved(bucket('acct:alice'), NOW + 10)).toBe(true);
    });

    it('gives back one reserved attempt, or forgets the whole window', async () => {
      const b = bucket('k1');
      const tickets = [];
      for (let i = 0; i < 3; i++) tickets.push(await ticket(b, NOW));
      await release(tickets[0]!, false);
      expect(await reserved(b, NOW)).toBe(true);
      expect(await reserved(b, NOW)).toBe(false);
      await release(tickets[1]!, true);
      for (let i = 0; i < 3; i++) expect(await reserved(b, NOW)).toBe(true);
    });

    it('starts a back-off when a failure finds the window spent, and doubles it while remembered', async () => {
      const b = bucket('k2');
      await reserved(b, NOW);
      expect(await recordFailure(b, NOW, BACKOFF)).toBeNull();
      await reserved(b, NOW);
      await reserved(b, NOW);
      expect(await recordFailure(b, NOW + 1, BACKOFF)).toBe(NOW + 1 + MIN);
      // A failure already in flight does not lengthen a running back-off.
      expect(await recordFailure(b, NOW + 2, BACKOFF)).toBeNull();
      expect(await reserve(b, NOW + 2)).toMatchObject({ reserved: false, blockedUntil: NOW + 1 + MIN });
      // Afterwards the window holds one attempt at a time, and its failure backs off twice as long.
      const after = NOW + 1 + MIN;
      expect(await reserved(b, after)).toBe(true);
      expect(await reserved(b, after)).toBe(false);
      expect(await recordFailure(b, after, BACKOFF)).toBe(after + 2 * MIN);
      // Caps at maxMs.
      let t = after + 2 * MIN;
      for (let i = 0; i < 8; i++) {
        await reserved(b, t);
        t = (await recordFailure(b, t, BACKOFF))!;
      }
      expect(await reserve(b, t - 1)).toMatchObject({ reserved: false, blockedUntil: t });
      await reserved(b, t);
      expect(await recordFailure(b, t, BACKOFF)).toBe(t + 60 * MIN);
    });

    it('never lets a release end a back-off', async () => {
      const b = bucket('k3', { max: 1 });
      const t = await ticket(b, NOW);
      await recordFailure(b, NOW, BACKOFF);
      await release(t!, true);
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
      const ends = await Promise.all(Array.from({ length: 5 }, () => recordFailure(b, NOW, BACKOFF)));
      expect(ends.filter((e) => e !== null)).toEqual([NOW + MIN]);
    });

    it('reserves every bucket of a guess or none: a bucket that refuses leaves the others untouched', async () => {
      const tight = bucket('g1:acct-ip', { max: 3 });
      const account = bucket('g1:acct', { max: 1 });
      const ip = bucket('g1:ip', { account: null, max: 3 });
      expect(await reserved(account, NOW)).toBe(true);
      expect(await storage.attempts.reserveAll([tight, account, ip], NOW + 1)).toEqual({ reserved: false, blockedUntil: null, windowEnd: NOW + 15 * MIN });
      expect(await room(tight, NOW + 2)).toBe(3);
      expect(await room(ip, NOW + 2)).toBe(3);
      // Taken together, each bucket's ticket in the buckets' order.
      const other = [bucket('g2:acct-ip'), bucket('g2:acct'), bucket('g2:ip', { account: null })];
      const r = await storage.attempts.reserveAll(other, NOW);
      expect(r.reserved && r.tickets.map((t) => t.key)).toEqual(['g2:acct-ip', 'g2:acct', 'g2:ip']);
      for (const b of other) expect(await room(b, NOW)).toBe(2);
    });

    it('answers the latest end among the buckets that refuse a guess', async () => {
      const early = bucket('g3:a', { max: 1 });
      const late = bucket('g3:b', { max: 1 });
      await reserved(early, NOW);
      await recordFailure(early, NOW, BACKOFF);
      await reserved(late, NOW + 10);
      await recordFailure(late, NOW + 10, BACKOFF);
      expect(await storage.attempts.reserveAll([early, late], NOW + 20)).toMatchObject({ reserved: false, blockedUntil: NOW + 10 + MIN });
      expect(await storage.attempts.reserveAll([late, early], NOW + 20)).toMatchObject({ reserved: false, blockedUntil: NOW + 10 + MIN });
      // Backed off on one bucket, full on another: both ends are told.
      const full = bucket('g3:c', { max: 1, windowMs: 60 * MIN });
      await reserved(full, NOW);
      const r = await storage.attempts.reserveAll([full, late], NOW + 20);
      expect(r).toMatchObject({ reserved: false, blockedUntil: NOW + 10 + MIN });
      // A store that refuses at the back-off need not ask the full bucket; if it did, it tells its window.
      if (!r.reserved && r.windowEnd !== null) expect(r.windowEnd).toBe(NOW + 60 * MIN);
    });

    it('settles every bucket of a failed guess in one call, starting a back-off only where the window is spent', async () => {
      const spent = bucket('g4:a', { max: 2 });
      const roomy = bucket('g4:b', { max: 5 });
      await reserved(spent, NOW);
      expect(await storage.attempts.reserveAll([spent, roomy], NOW)).toMatchObject({ reserved: true });
      expect(await storage.attempts.failAll([spent, roomy], NOW + 1, BACKOFF)).toEqual([NOW + 1 + MIN, null]);
      expect(await reserve(spent, NOW + 2)).toMatchObject({ reserved: false, blockedUntil: NOW + 1 + MIN });
      expect(await room(roomy, NOW + 2)).toBe(4);
    });

    it('gives back the attempts of a successful guess in one call, forgetting the windows asked for', async () => {
      const own = bucket('g5:acct-ip', { max: 3 });
      const shared = bucket('g5:ip', { account: null, max: 3 });
      await reserved(own, NOW);
      await reserved(shared, NOW);
      const r = await storage.attempts.reserveAll([own, shared], NOW);
      if (!r.reserved) throw new Error('expected a reservation');
      await storage.attempts.releaseAll([
        { ticket: r.tickets[0]!, forgetWindow: true },
        { ticket: r.tickets[1]!, forgetWindow: false },
      ]);
      expect(await room(own, NOW)).toBe(3);
      expect(await room(shared, NOW)).toBe(2);
    });

    it('admits no more guesses than the tight bucket holds from a simultaneous burst, and the refused ones take nothing anywhere', async () => {
      const tight = bucket('g6:acct-ip', { max: 5 });
      const account = bucket('g6:acct', { max: 8 });
      const ip = bucket('g6:ip', { account: null, max: 8 });
      const burst = await Promise.all(Array.from({ length: 40 }, () => storage.attempts.reserveAll([tight, account, ip], NOW)));
      const admitted = burst.filter((r) => r.reserved).length;
      expect(admitted).toBeGreaterThan(0);
      expect(admitted).toBeLessThanOrEqual(5);
      // Callers that overlap may refuse each other (the promise is never more than the budget):
      // what the burst did not take is still there, and the other buckets hold exactly the
      // admitted guesses, nothing of the 35 or more refused ones.
      expect(admitted + (await room(tight, NOW))).toBe(5);
      expect(await room(account, NOW)).toBe(8 - admitted);
      expect(await room(ip, NOW)).toBe(8 - admitted);
    });

    it('admits no more guesses than a later bucket holds from a simultaneous burst, and gives back the tight bucket of every refused one', async () => {
      const tight = bucket('g7:acct-ip', { max: 12 });
      const ip = bucket('g7:ip', { account: null, max: 3 });
      const burst = await Promise.all(Array.from({ length: 12 }, () => storage.attempts.reserveAll([tight, ip], NOW)));
      const admitted = burst.filter((r) => r.reserved).length;
      expect(admitted).toBeGreaterThan(0);
      expect(admitted).toBeLessThanOrEqual(3);
      expect(admitted + (await room(ip, NOW))).toBe(3);
      expect(await room(tight, NOW)).toBe(12 - admitted);
    });

    it('lists accounts with a running back-off and clears every bucket of an account', async () => {
      const alice = bucket('acct-ip:alice|1.2.3.4', { max: 1 });
      await reserved(alice, NOW);
      await recordFailure(alice, NOW, BACKOFF);
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
