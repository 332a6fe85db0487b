import type { Collection, Db } from 'mongodb';
import type { NoticeAddressStore, PendingAddressRecord } from '../port.js';
import { ensureTtlIndex } from './ttl.js';

interface AddressDoc {
  _id: string; // the user id
  address: string;
  confirmedAt: Date;
}

interface PendingDoc {
  _id: string; // the token hash
  userId: string;
  address: string;
  createdAt: Date;
  expiresAt: Date;
}

export function pendingAddressesCollection(db: Db): Collection<PendingDoc> {
  return db.collection<PendingDoc>('pending_addresses');
}

function addressesCollection(db: Db): Collection<AddressDoc> {
  return db.collection<AddressDoc>('notice_addresses');
}

export async function createNoticeAddressIndexes(db: Db): Promise<boolean> {
  await pendingAddressesCollection(db).createIndex({ userId: 1 }, { name: 'by_user' });
  return ensureTtlIndex(pendingAddressesCollection(db));
}

const toPending = (d: PendingDoc): PendingAddressRecord => ({
  tokenHash: d._id,
  userId: d.userId,
  address: d.address,
  createdAt: d.createdAt.getTime(),
  expiresAt: d.expiresAt.getTime(),
});

export function createMongoNoticeAddressStore(db: Db): NoticeAddressStore {
  const pending = pendingAddressesCollection(db);
  const addresses = addressesCollection(db);
  return {
    async savePending(p) {
      await pending.deleteMany({ userId: p.userId });
      await pending.insertOne({ _id: p.tokenHash, userId: p.userId, address: p.address, createdAt: new Date(p.createdAt), expiresAt: new Date(p.expiresAt) });
    },
    async findPending(userId, now) {
      const d = await pending.find({ userId, expiresAt: { $gt: new Date(now) } }).sort({ createdAt: -1 }).limit(1).next();
      return d ? toPending(d) : null;
    },
    async consumePending(tokenHash) {
      const d = await pending.findOne({ _id: tokenHash });
      if (!d) return null;
      // The delete's own count decides: of many concurrent uses of one link exactly one
      // removes it (findOneAndDelete is not atomic on FerretDB v1; see claims.ts).
      return (await pending.deleteOne({ _id: tokenHash })).deletedCount === 1 ? toPending(d) : null;
    },
    async setConfirmed(r) {
      await addresses.replaceOne({ _id: r.userId }, { address: r.address, confirmedAt: new Date(r.confirmedAt) }, { upsert: true });
    },
    async findConfirmed(userId) {
      const d = await addresses.findOne({ _id: userId });
      return d ? { userId: d._id, address: d.address, confirmedAt: d.confirmedAt.getTime() } : null;
    },
    async findConfirmedByAddress(address) {
      // Without regard to case; no collation (FerretDB v1 has none), so an anchored literal regex.
      const literal = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const d = await addresses.findOne({ address: { $regex: `^${literal}$`, $options: 'i' } });
      return d ? { userId: d._id, address: d.address, confirmedAt: d.confirmedAt.getTime() } : null;
    },
    async removeForUser(userId) {
      return (await pending.deleteMany({ userId })).deletedCount + (await addresses.deleteOne({ _id: userId })).deletedCount;
    },
  };
}
