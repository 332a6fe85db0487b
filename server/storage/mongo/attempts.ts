import type { Collection, Db } from 'mongodb';
import type { AttemptRecord, AttemptStore } from '../port.js';
import { ensureTtlIndex } from './ttl.js';

type AttemptDoc = Omit<AttemptRecord, 'expiresAt'> & { expiresAt: Date };

export function attemptsCollection(db: Db): Collection<AttemptDoc> {
  return db.collection<AttemptDoc>('attempts');
}

export async function createAttemptIndexes(db: Db): Promise<boolean> {
  const col = attemptsCollection(db);
  await col.createIndex({ key: 1, kind: 1, at: -1 }, { name: 'by_key' });
  await col.createIndex({ account: 1, kind: 1, until: -1 }, { name: 'by_account' });
  return ensureTtlIndex(col);
}

export function createMongoAttemptStore(db: Db): AttemptStore {
  const col = attemptsCollection(db);
  return {
    async add(r) {
      await col.insertOne({ ...r, expiresAt: new Date(r.expiresAt) });
    },
    countFailures: (key, since) => col.countDocuments({ key, kind: 'failure', at: { $gt: since } }),
    countBlocks: (key, since) => col.countDocuments({ key, kind: 'block', at: { $gt: since } }),
    async blockedUntil(keys, now) {
      const d = await col.find({ key: { $in: keys }, kind: 'block', until: { $gt: now } }).sort({ until: -1 }).limit(1).next();
      return d?.until ?? null;
    },
    async clearKey(key) {
      return (await col.deleteMany({ key })).deletedCount;
    },
    async clearAccount(account) {
      return (await col.deleteMany({ account })).deletedCount;
    },
    async lockedAccounts(accounts, now) {
      if (accounts.length === 0) return [];
      const locked = await col.distinct('account', { account: { $in: accounts }, kind: 'block', until: { $gt: now } });
      return locked.filter((a): a is string => typeof a === 'string');
    },
  };
}
