import { ObjectId, type Collection, type Db } from 'mongodb';
import type { NoticeRecord, NoticeStore } from '../port.js';

// seq orders notices of the same millisecond (ObjectIds increase within a process).
type NoticeDoc = Omit<NoticeRecord, 'id' | 'createdAt' | 'readAt'> & { _id: string; createdAt: Date; readAt: Date | null; seq: ObjectId };

export function noticesCollection(db: Db): Collection<NoticeDoc> {
  return db.collection<NoticeDoc>('notices');
}

export async function createNoticeIndexes(db: Db): Promise<void> {
  await noticesCollection(db).createIndex({ userId: 1, readAt: 1, createdAt: -1 }, { name: 'by_user_unread' });
}

export function createMongoNoticeStore(db: Db): NoticeStore {
  const col = noticesCollection(db);
  return {
    async add(n) {
      await col.insertOne({ _id: n.id, userId: n.userId, type: n.type, message: n.message, createdAt: new Date(n.createdAt), readAt: null, seq: new ObjectId() });
    },
    async listUnread(userId, limit) {
      const docs = await col.find({ userId, readAt: null }).sort({ createdAt: -1, seq: -1 }).limit(limit).toArray();
      return docs.map((d) => ({ id: d._id, userId: d.userId, type: d.type, message: d.message, createdAt: d.createdAt.getTime(), readAt: null }));
    },
    async markRead(userId, ids, at) {
      const filter = ids === null ? { userId, readAt: null } : { userId, readAt: null, _id: { $in: ids } };
      return (await col.updateMany(filter, { $set: { readAt: new Date(at) } })).modifiedCount;
    },
  };
}
