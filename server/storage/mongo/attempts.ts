// Guard buckets on MongoDB-compatible servers, built only on what every such server makes
// atomic: an insert against a unique _id, and a count of committed documents.
// Why not rate-limiter-flexible's RateLimiterMongo (one findOneAndUpdate $inc, upserting on
// a unique key): on MongoDB that is atomic, but FerretDB v1 runs findOneAndUpdate as a read
// followed by a write, and a conditional $inc filter in that scheme let 25 of 60 simultaneous
// reservations through a budget of 5 (measured; see README, "Brute force"). It also reads
// Date.now() where Keyward injects a clock, and keeps no back-off to double.
//   reserve: insert one attempt document per bucket for its window, then count the windows'
//            documents (one query for all buckets of a guess); over a budget, delete them
//            all again and refuse. Per bucket, whoever counted last saw every admitted
//            attempt, so no more than the budget are ever admitted (a burst may admit fewer:
//            refusals that overlap see each other; never more). FerretDB v1 has no
//            multi-document transactions: a refused guess's slots exist for a moment
//            before they are deleted, which can only refuse others, never admit them.
//   back-off: the next block number is claimed by a unique insert, so of failures racing to
//            start one, one does; the others find it running.
import { MongoBulkWriteError, ObjectId, type Collection, type Db } from 'mongodb';
import type { AttemptStore, AttemptTicket, Release } from '../port.js';
import { isDuplicateKey } from './guard.js';
import { ensureTtlIndex } from './ttl.js';
import type { ClaimOnce } from './claims.js';

type BucketDoc =
  | { _id: string; kind: 'slot'; key: string; account: string | null; w: string; expiresAt: Date }
  | { _id: string; kind: 'block'; key: string; account: string | null; seq: number; chain: number; until: number; memoryEnd: number; expiresAt: Date };
type BlockDoc = Extract<BucketDoc, { kind: 'block' }>;

export function attemptsCollection(db: Db): Collection<BucketDoc> {
  return db.collection<BucketDoc>('attempt_buckets');
}

export async function createAttemptIndexes(db: Db): Promise<boolean> {
  const col = attemptsCollection(db);
  await col.createIndex({ key: 1, kind: 1, w: 1 }, { name: 'by_window' });
  await col.createIndex({ key: 1, kind: 1, seq: -1 }, { name: 'by_block' });
  await col.createIndex({ account: 1, kind: 1, until: -1 }, { name: 'by_account' });
  return ensureTtlIndex(col);
}

export function createMongoAttemptStore(db: Db, claim: ClaimOnce): AttemptStore {
  const col = attemptsCollection(db);
  /** The latest back-off of every key of a guess, in one query. */
  async function lastBlocks(keys: string[]): Promise<Map<string, BlockDoc>> {
    const docs = (await col.find({ key: { $in: keys }, kind: 'block' }).toArray()) as BlockDoc[];
    const last = new Map<string, BlockDoc>();
    for (const d of docs) if ((last.get(d.key)?.seq ?? -1) < d.seq) last.set(d.key, d);
    return last;
  }
  // The window attempts are counted in: aligned to windowMs, or, while a back-off is
  // remembered, the one after that back-off (which holds a single attempt).
  function windowOf(last: BlockDoc | undefined, b: { max: number; windowMs: number }, now: number) {
    if (last && last.memoryEnd > now) return { w: `b${last.seq}`, limit: 1, end: last.memoryEnd, remembered: true };
    const i = Math.floor(now / b.windowMs);
    return { w: `w${i}`, limit: b.max, end: (i + 1) * b.windowMs, remembered: false };
  }
  /** The attempts in one window of each key (the keys of a guess are distinct), in one query. */
  async function counts(windows: { key: string; w: string }[]): Promise<Map<string, number>> {
    const rows = await col.aggregate<{ _id: string; n: number }>([{ $match: { kind: 'slot', $or: windows } }, { $group: { _id: '$key', n: { $sum: 1 } } }]).toArray();
    return new Map(rows.map((r) => [r._id, r.n]));
  }

  return {
    async reserveAll(buckets, now) {
      const last = await lastBlocks(buckets.map((b) => b.key));
      const running = [...last.values()].filter((l) => l.until > now).map((l) => l.until);
      if (running.length > 0) return { reserved: false, blockedUntil: Math.max(...running), windowEnd: null };
      const tickets: AttemptTicket[] = [];
      const taken: string[] = [];
      // The tight bucket (account+IP) first and alone, the others together after it: a burst
      // it refuses then never holds, even for a moment, a slot of the account's or the
      // address's bucket, where it would refuse the owner's guesses from elsewhere and, found
      // there by a failure's count, start their back-off. Two round trips more than inserting
      // all at once, which also timed out 300-guess bursts on FerretDB.
      for (const group of [buckets.slice(0, 1), buckets.slice(1)]) {
        if (group.length === 0) continue;
        const slots = group.map((b) => {
          const win = windowOf(last.get(b.key), b, now);
          const id = `${win.w}|${new ObjectId().toHexString()}`;
          return { b, win, id, doc: { _id: `${b.key}|${id}`, kind: 'slot' as const, key: b.key, account: b.account, w: win.w, expiresAt: new Date(b.expiresAt) } };
        });
        await col.insertMany(slots.map((s) => s.doc));
        taken.push(...slots.map((s) => s.doc._id));
        tickets.push(...slots.map((s) => ({ key: s.b.key, id: s.id })));
        const n = await counts(slots.map((s) => ({ key: s.b.key, w: s.win.w })));
        const full = slots.filter((s) => (n.get(s.b.key) ?? 0) > s.win.limit);
        if (full.length === 0) continue;
        await col.deleteMany({ _id: { $in: taken } });
        return { reserved: false, blockedUntil: null, windowEnd: Math.max(...full.map((s) => s.win.end)) };
      }
      return { reserved: true, tickets };
    },

    async releaseAll(releases) {
      if (releases.length === 0) return;
      const one = ({ ticket, forgetWindow }: Release) => (forgetWindow ? { key: ticket.key, kind: 'slot' as const, w: ticket.id.split('|')[0]! } : { _id: `${ticket.key}|${ticket.id}` });
      await col.deleteMany({ $or: releases.map(one) });
    },

    async failAll(buckets, now, backoff) {
      const last = await lastBlocks(buckets.map((b) => b.key));
      const open = buckets.map((b) => ({ b, last: last.get(b.key), win: windowOf(last.get(b.key), b, now) })).filter((o) => !(o.last && o.last.until > now));
      const toCount = open.filter((o) => !o.win.remembered);
      const n = toCount.length > 0 ? await counts(toCount.map((o) => ({ key: o.b.key, w: o.win.w }))) : new Map<string, number>();
      const starts = open
        .filter((o) => o.win.remembered || (n.get(o.b.key) ?? 0) >= o.b.max)
        .map(({ b, last: l, win }): BlockDoc => {
          const seq = (l?.seq ?? -1) + 1;
          const chain = win.remembered && l ? l.chain + 1 : 1;
          const until = now + Math.min(backoff.baseMs * 2 ** Math.min(chain - 1, 30), backoff.maxMs);
          const memoryEnd = now + backoff.memoryMs;
          return { _id: `${b.key}|block|${seq}`, kind: 'block', key: b.key, account: b.account, seq, chain, until, memoryEnd, expiresAt: new Date(Math.max(b.expiresAt, memoryEnd)) };
        });
      const lost = new Set<number>();
      // The next block number is claimed by a unique insert: of failures racing to start a
      // back-off, one does. Unordered, so one lost race does not keep another bucket's.
      if (starts.length > 0) {
        try {
          await col.insertMany(starts, { ordered: false });
        } catch (err) {
          const errors = err instanceof MongoBulkWriteError ? [err.writeErrors].flat() : [];
          // No write error named: the whole call failed (a lost connection), not a race.
          if (errors.length === 0 || !errors.every(isDuplicateKey)) throw err;
          for (const e of errors) lost.add(e.index);
        }
      }
      const ends = new Map(starts.filter((_, i) => !lost.has(i)).map((d) => [d.key, d.until]));
      return buckets.map((b) => ends.get(b.key) ?? null);
    },

    async clearAccount(account) {
      return (await col.deleteMany({ account })).deletedCount;
    },

    async lockedAccounts(accounts, now) {
      if (accounts.length === 0) return [];
      const locked = await col.distinct('account', { account: { $in: accounts }, kind: 'block', until: { $gt: now } });
      return locked.filter((a): a is string => typeof a === 'string');
    },
    // The window is in the claim's _id, so one unique insert decides (the claims collection,
    // atomic on FerretDB too) and an old window's claim, swept or not, never blocks a new one.
    claimOnce(key, windowMs, now) {
      const window = Math.floor(now / windowMs);
      return claim(`once:${key}:${window}`, (window + 1) * windowMs);
    },
  };
}
