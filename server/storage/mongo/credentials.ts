import { Binary, type Collection, type Db } from 'mongodb';
import type { CredentialRecord, CredentialStore } from '../port.js';
import { isDuplicateKey } from './guard.js';

interface CredentialDoc {
  _id: string;
  userId: string;
  name: string;
  publicKey: Binary;
  counter: number;
  transports: string[];
  aaguid: string;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  flagged: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

function toRecord(d: CredentialDoc): CredentialRecord {
  return {
    id: d._id,
    userId: d.userId,
    name: d.name,
    // A copy into a fresh ArrayBuffer: the library wants Uint8Array<ArrayBuffer>.
    publicKey: new Uint8Array(d.publicKey.buffer),
    counter: d.counter,
    transports: d.transports,
    aaguid: d.aaguid,
    deviceType: d.deviceType,
    backedUp: d.backedUp,
    flagged: d.flagged,
    createdAt: d.createdAt.getTime(),
    lastUsedAt: d.lastUsedAt ? d.lastUsedAt.getTime() : null,
  };
}

export function credentialsCollection(db: Db): Collection<CredentialDoc> {
  return db.collection<CredentialDoc>('credentials');
}

export async function createCredentialIndexes(db: Db): Promise<void> {
  // _id is the credential id, unique by construction; users list their keys by userId.
  await credentialsCollection(db).createIndex({ userId: 1, createdAt: 1 }, { name: 'by_user' });
}

export function createMongoCredentialStore(db: Db): CredentialStore {
  const col = credentialsCollection(db);
  return {
    async create(c) {
      try {
        await col.insertOne({
          _id: c.id,
          userId: c.userId,
          name: c.name,
          publicKey: new Binary(c.publicKey),
          counter: c.counter,
          transports: c.transports,
          aaguid: c.aaguid,
          deviceType: c.deviceType,
          backedUp: c.backedUp,
          flagged: c.flagged,
          createdAt: new Date(c.createdAt),
          lastUsedAt: c.lastUsedAt === null ? null : new Date(c.lastUsedAt),
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async findById(id) {
      const d = await col.findOne({ _id: id });
      return d ? toRecord(d) : null;
    },
    async listByUser(userId) {
      return (await col.find({ userId }).sort({ createdAt: 1 }).toArray()).map(toRecord);
    },
    countByUser: (userId) => col.countDocuments({ userId }),
    async rename(userId, id, name) {
      const d = await col.findOneAndUpdate({ _id: id, userId }, { $set: { name } }, { returnDocument: 'after' });
      return d ? toRecord(d) : null;
    },
    async remove(userId, id) {
      return (await col.deleteOne({ _id: id, userId })).deletedCount === 1;
    },
    async recordUse(id, use) {
      const counterCondition = use.newCounter === 0 ? { counter: 0 } : { counter: { $lt: use.newCounter } };
      const r = await col.updateOne(
        { _id: id, ...counterCondition },
        { $set: { counter: use.newCounter, lastUsedAt: new Date(use.at), backedUp: use.backedUp } },
      );
      if (r.matchedCount === 1) return 'recorded';
      return (await col.countDocuments({ _id: id }, { limit: 1 })) ? 'counter_regressed' : 'missing';
    },
    async flag(id) {
      await col.updateOne({ _id: id }, { $set: { flagged: true } });
    },
  };
}
