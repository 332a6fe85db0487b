import type { Collection, Db } from 'mongodb';
import type { SessionRecord, SessionStore } from '../port.js';
import { isDuplicateKey } from './guard.js';
import { ensureTtlIndex } from './ttl.js';

interface SessionDoc {
  _id: string;
  publicId: string;
  userId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  aal: number;
}

export function sessionsCollection(db: Db): Collection<SessionDoc> {
  return db.collection<SessionDoc>('sessions');
}

/** Returns whether the server expires documents itself (TTL index). */
export async function createSessionIndexes(db: Db): Promise<boolean> {
  await sessionsCollection(db).createIndex({ userId: 1 }, { name: 'by_user' });
  return ensureTtlIndex(sessionsCollection(db));
}

const toDoc = (r: SessionRecord): SessionDoc => ({
  _id: r.idHash,
  publicId: r.publicId,
  userId: r.userId,
  data: r.data,
  createdAt: new Date(r.createdAt),
  lastSeenAt: new Date(r.lastSeenAt),
  expiresAt: new Date(r.expiresAt),
  ip: r.ip,
  userAgent: r.userAgent,
  aal: r.aal,
});

const toRecord = (d: SessionDoc): SessionRecord => ({
  idHash: d._id,
  publicId: d.publicId,
  userId: d.userId,
  data: d.data,
  createdAt: d.createdAt.getTime(),
  lastSeenAt: d.lastSeenAt.getTime(),
  expiresAt: d.expiresAt.getTime(),
  ip: d.ip,
  userAgent: d.userAgent,
  aal: d.aal,
});

export function createMongoSessionStore(db: Db): SessionStore {
  const sessions = sessionsCollection(db);
  const live = (now: number) => ({ expiresAt: { $gt: new Date(now) } });

  async function create(r: SessionRecord): Promise<boolean> {
    try {
      await sessions.insertOne(toDoc(r));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async function get(idHash: string, now: number): Promise<SessionRecord | null> {
    // By _id alone, expiry checked here: the same index on MongoDB, and the only filter
    // FerretDB v1 answers without reading the whole collection (every request reads a session).
    const d = await sessions.findOne({ _id: idHash });
    return d && d.expiresAt.getTime() > now ? toRecord(d) : null;
  }

  return {
    get,
    // No join in one read here ($lookup is an aggregation, slower than the read it would
    // spare): the names come from the per-process cache (createSessionIdentity.ts).
    getWithUser: get,
    create,
    async update(idHash, c, now) {
      // An update, never an upsert: a deleted session has no document left to write to.
      const set = { lastSeenAt: new Date(c.lastSeenAt), expiresAt: new Date(c.expiresAt), ip: c.ip, ...(c.data && { data: c.data }) };
      return (await sessions.updateOne({ _id: idHash, ...live(now) }, { $set: set })).matchedCount === 1;
    },
    async rotate(oldIdHash, next, now) {
      // No multi-document transaction (FerretDB v1 has none): the new session is inserted
      // first, then the old one's deletion decides. Whoever ends the old one (sign-out,
      // revoke-others, which also sees the new one once it exists) makes that deletion
      // miss, and the new one is taken back: at no point can an ended session live on.
      if (!(await create(next))) return false;
      if ((await sessions.deleteOne({ _id: oldIdHash, ...live(now) })).deletedCount === 1) return true;
      await sessions.deleteOne({ _id: next.idHash });
      return false;
    },
    async destroy(idHash) {
      await sessions.deleteOne({ _id: idHash });
    },
    async listForUser(userId, now) {
      const docs = await sessions.find({ userId, ...live(now), publicId: { $exists: true } }).sort({ lastSeenAt: -1 }).toArray();
      return docs.map(toRecord);
    },
    async destroyByPublicId(userId, publicId) {
      return (await sessions.deleteMany({ userId, publicId })).deletedCount > 0;
    },
    async destroyAllForUser(userId, exceptIdHash) {
      const r = await sessions.deleteMany({ userId, ...(exceptIdHash !== undefined && { _id: { $ne: exceptIdHash } }) });
      return r.deletedCount;
    },
  };
}
