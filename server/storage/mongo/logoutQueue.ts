// The back-channel logout queue (port.ts LogoutQueueStore) in one collection. A claim is decided
// by ONE unique insert (claims.ts), keyed by the delivery and its round: a conditional update
// alone is a read-then-write on FerretDB v1, where two instances could both take the same one.
import type { Collection, Db } from 'mongodb';
import type { LogoutDelivery, LogoutQueueStore } from '../port.js';
import type { ClaimOnce } from './claims.js';
import { isDuplicateKey } from './guard.js';
import { ensureTtlIndex } from './ttl.js';

interface QueueDoc {
  _id: string;
  clientId: string;
  sub: string;
  sid: string;
  attempts: number;
  round: number;
  /** Absent once done. */
  dueAt?: Date;
  leaseUntil: Date;
  /** Only once done: pending deliveries never expire. */
  expiresAt?: Date;
}

export function logoutQueueCollection(db: Db): Collection<QueueDoc> {
  return db.collection<QueueDoc>('logout_queue');
}

export async function createLogoutQueueIndexes(db: Db): Promise<boolean> {
  await logoutQueueCollection(db).createIndex({ dueAt: 1 }, { name: 'by_due', sparse: true });
  return ensureTtlIndex(logoutQueueCollection(db));
}

export function createMongoLogoutQueueStore(db: Db, claimOnce: ClaimOnce): LogoutQueueStore {
  const col = logoutQueueCollection(db);
  return {
    async enqueue(items, now) {
      for (const i of items) {
        try {
          await col.insertOne({ _id: i.id, clientId: i.clientId, sub: i.sub, sid: i.sid, attempts: 0, round: 0, dueAt: new Date(now), leaseUntil: new Date(0) });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
    },
    async claim(now, leaseMs, limit) {
      const at = new Date(now);
      const due = await col.find({ dueAt: { $lte: at }, leaseUntil: { $lte: at } }).sort({ dueAt: 1 }).limit(limit).toArray();
      const won: LogoutDelivery[] = [];
      for (const d of due) {
        const round = d.round + 1;
        // The claim outlives the lease: after it, the next round has a key of its own.
        if (!(await claimOnce(`logout:${d._id}:${round}`, now + leaseMs * 2))) continue;
        await col.updateOne({ _id: d._id }, { $set: { round, leaseUntil: new Date(now + leaseMs) } });
        won.push({ id: d._id, clientId: d.clientId, sub: d.sub, sid: d.sid, attempts: d.attempts, round });
      }
      return won;
    },
    async finish(id, round, keepUntil) {
      await col.updateOne({ _id: id, round }, { $unset: { dueAt: '' }, $set: { leaseUntil: new Date(0), expiresAt: new Date(keepUntil) } });
    },
    async retry(id, round, dueAt) {
      await col.updateOne({ _id: id, round }, { $set: { dueAt: new Date(dueAt), leaseUntil: new Date(0) }, $inc: { attempts: 1 } });
    },
  };
}
