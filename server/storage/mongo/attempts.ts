// Guard buckets on MongoDB-compatible servers, built only on what every such server makes
// atomic: an insert against a unique _id, and a count of committed documents.
// Why not rate-limiter-flexible's RateLimiterMongo (one findOneAndUpdate $inc, upserting on
// a unique key): on MongoDB that is atomic, but FerretDB v1 runs findOneAndUpdate as a read
// followed by a write, and a conditional $inc filter in that scheme let 25 of 60 simultaneous
// reservations through a budget of 5 (measured; see README, "Brute force"). It also reads
// Date.now() where Keyward injects a clock, and keeps no back-off to double.
//   reserve: insert one attempt document for the window, then count the window's documents;
//            over the budget, delete it again and refuse. Whoever counted last saw every
//            admitted attempt, so no more than the budget are ever admitted (a burst may
//            admit fewer: refusals that overlap see each other; never more).
//   back-off: the next block number is claimed by a unique insert, so of failures racing to
//            start one, one does; the others find it running.
import { ObjectId, type Collection, type Db } from 'mongodb';
import type { AttemptStore } from '../port.js';
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
  const lastBlock = (key: string) => col.findOne({ key, kind: 'block' }, { sort: { seq: -1 } }) as Promise<BlockDoc | null>;
  // The window attempts are counted in: aligned to windowMs, or, while a back-off is
  // remembered, the one after that back-off (which holds a single attempt).
  function windowOf(last: BlockDoc | null, b: { max: number; windowMs: number }, now: number) {
    if (last && last.memoryEnd > now) return { w: `b${last.seq}`, limit: 1, end: last.memoryEnd, remembered: true };
    const i = Math.floor(now / b.windowMs);
    return { w: `w${i}`, limit: b.max, end: (i + 1) * b.windowMs, remembered: false };
  }
  const count = (key: string, w: string) => col.countDocuments({ key, kind: 'slot', w });

  return {
    async reserve(b, now) {
      const last = await lastBlock(b.key);
      if (last && last.until > now) return { reserved: false, blockedUntil: last.until, windowEnd: now };
      const win = windowOf(last, b, now);
      const id = `${win.w}|${new ObjectId().toHexString()}`;
      await col.insertOne({ _id: `${b.key}|${id}`, kind: 'slot', key: b.key, account: b.account, w: win.w, expiresAt: new Date(b.expiresAt) });
      if ((await count(b.key, win.w)) <= win.limit) return { reserved: true, ticket: { key: b.key, id } };
      await col.deleteOne({ _id: `${b.key}|${id}` });
      return { reserved: false, blockedUntil: null, windowEnd: win.end };
    },

    async release(ticket, forgetWindow) {
      if (forgetWindow) await col.deleteMany({ key: ticket.key, kind: 'slot', w: ticket.id.split('|')[0]! });
      else await col.deleteOne({ _id: `${ticket.key}|${ticket.id}` });
    },

    async recordFailure(b, now, backoff) {
      const last = await lastBlock(b.key);
      if (last && last.until > now) return null;
      const win = windowOf(last, b, now);
      if (!win.remembered && (await count(b.key, win.w)) < b.max) return null;
      const seq = (last?.seq ?? -1) + 1;
      const chain = win.remembered && last ? last.chain + 1 : 1;
      const until = now + Math.min(backoff.baseMs * 2 ** Math.min(chain - 1, 30), backoff.maxMs);
      const memoryEnd = now + backoff.memoryMs;
      try {
        await col.insertOne({ _id: `${b.key}|block|${seq}`, kind: 'block', key: b.key, account: b.account, seq, chain, until, memoryEnd, expiresAt: new Date(Math.max(b.expiresAt, memoryEnd)) });
        return until;
      } catch (err) {
        if (isDuplicateKey(err)) return null;
        throw err;
      }
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
