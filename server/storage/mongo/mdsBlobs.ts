// FIDO MDS3 blobs, one document per serial number (the _id): an insert, so one writer of a
// given blob wins, and the highest number is the current blob.
import type { Collection, Db } from 'mongodb';
import type { MdsBlobStore } from '../port.js';
import { isDuplicateKey } from './guard.js';

interface MdsBlobDoc {
  _id: number;
  jwt: string;
  nextUpdate: Date;
  storedAt: Date;
}

export function mdsBlobsCollection(db: Db): Collection<MdsBlobDoc> {
  return db.collection<MdsBlobDoc>('mds_blobs');
}

export function createMongoMdsBlobStore(db: Db): MdsBlobStore {
  const col = mdsBlobsCollection(db);
  return {
    async save(r) {
      try {
        await col.insertOne({ _id: r.no, jwt: r.jwt, nextUpdate: new Date(r.nextUpdate), storedAt: new Date(r.storedAt) });
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
      await col.deleteMany({ _id: { $lt: r.no } });
      return true;
    },
    async latest() {
      const d = await col.find({}).sort({ _id: -1 }).limit(1).next();
      return d ? { no: d._id, jwt: d.jwt, nextUpdate: d.nextUpdate.getTime(), storedAt: d.storedAt.getTime() } : null;
    },
    async latestSerial() {
      const d = await col.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).next();
      return d ? d._id : null;
    },
  };
}
