import type { Collection, Db } from 'mongodb';
import type { SessionStore } from '../port.js';
import { ensureTtlIndex } from './ttl.js';

interface SessionDoc {
  _id: string;
  userId: string | null;
  data: Record<string, unknown>;
  expiresAt: Date;
}

export function sessionsCollection(db: Db): Collection<SessionDoc> {
  return db.collection<SessionDoc>('sessions');
}

/** Returns whether the server expires documents itself (TTL index). */
export async function createSessionIndexes(db: Db): Promise<boolean> {
  await sessionsCollection(db).createIndex({ userId: 1 }, { name: 'by_user' });
  return ensureTtlIndex(sessionsCollection(db));
}

export function createMongoSessionStore(db: Db): SessionStore {
  const sessions = sessionsCollection(db);
  return {
    async get(idHash, now) {
      // By _id alone, expiry checked here: the same index on MongoDB, and the only filter
      // FerretDB v1 answers without reading the whole collection (every request reads a session).
      const d = await sessions.findOne({ _id: idHash });
      return d && d.expiresAt.getTime() > now ? { idHash: d._id, userId: d.userId, data: d.data, expiresAt: d.expiresAt.getTime() } : null;
    },
    async set(r) {
      await sessions.replaceOne(
        { _id: r.idHash },
        { userId: r.userId, data: r.data, expiresAt: new Date(r.expiresAt) },
        { upsert: true },
      );
    },
    async destroy(idHash) {
      await sessions.deleteOne({ _id: idHash });
    },
    async destroyAllForUser(userId) {
      const r = await sessions.deleteMany({ userId });
      return r.deletedCount;
    },
  };
}
