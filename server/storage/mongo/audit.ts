import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { AuditEvent, AuditStore } from '../port.js';

// seq: an ObjectId, increasing within a process, orders events of the same millisecond.
type AuditDoc = Omit<AuditEvent, 'id' | 'at'> & { _id: string; at: Date; seq: ObjectId };

export function auditCollection(db: Db): Collection<AuditDoc> {
  return db.collection<AuditDoc>('audit');
}

export async function createAuditIndexes(db: Db): Promise<void> {
  await auditCollection(db).createIndex({ userId: 1, at: -1, seq: -1 }, { name: 'by_user_time' });
  await auditCollection(db).createIndex({ type: 1, at: -1 }, { name: 'by_type_time' });
  await auditCollection(db).createIndex({ at: -1 }, { name: 'by_time' });
}

function toEvent(d: AuditDoc): AuditEvent {
  const { _id, at, seq: _seq, ...rest } = d;
  return { id: _id, at: at.getTime(), ...rest };
}

export function createMongoAuditStore(db: Db): AuditStore {
  const col = auditCollection(db);
  return {
    async append(e) {
      const { id, at, ...rest } = e;
      await col.insertOne({ _id: id, at: new Date(at), seq: new ObjectId(), ...rest });
    },
    async query(f) {
      const at: Record<string, Date> = {};
      if (f.from !== undefined) at['$gte'] = new Date(f.from);
      const upper = Math.min(f.to ?? Infinity, f.before !== undefined ? f.before - 1 : Infinity);
      if (upper !== Infinity) at['$lte'] = new Date(upper);
      const filter = {
        ...(f.userId !== undefined && { userId: f.userId }),
        ...(f.type !== undefined && { type: f.type }),
        ...(Object.keys(at).length > 0 && { at }),
      };
      return (await col.find(filter).sort({ at: -1, seq: -1 }).limit(f.limit).toArray()).map(toEvent);
    },
    async listForUser(userId, opts) {
      let filter: Filter<AuditDoc> = { userId };
      if (opts.before !== undefined) {
        const before = new Date(opts.before);
        // The cursor event's own seq (written order) breaks the tie within its millisecond; an
        // id that is not there (or is another user's) leaves only the time bound.
        const cursor = opts.beforeId === undefined ? null : await col.findOne({ _id: opts.beforeId, userId, at: before }, { projection: { seq: 1 } });
        filter = cursor ? { userId, $or: [{ at: { $lt: before } }, { at: before, seq: { $lt: cursor.seq } }] } : { userId, at: { $lt: before } };
      }
      return (await col.find(filter).sort({ at: -1, seq: -1 }).limit(opts.limit).toArray()).map(toEvent);
    },
  };
}
