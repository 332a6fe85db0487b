// Authenticator apps. The replay guard is a conditional update (lastUsedStep < step), which
// MongoDB applies atomically. FerretDB v1 does not (it reads, then writes: 2 or 3 of 50
// parallel requests got through), so each accepted step is first claimed with one unique
// insert (claims.ts), atomic everywhere; the conditional update then keeps steps moving
// forward only.
import type { Collection, Db } from 'mongodb';
import type { SealedSecret, TotpAuthenticatorRecord, TotpStore } from '../port.js';
import type { ClaimOnce } from './claims.js';
import { ensureTtlIndex } from './ttl.js';

interface TotpDoc {
  _id: string;
  userId: string;
  name: string;
  keyId: string;
  sealed: string;
  confirmed: boolean;
  // Absent once confirmed, so neither the TTL index nor the sweeper ever touches it.
  expiresAt?: Date;
  lastUsedStep: number;
  createdAt: Date;
  lastUsedAt: Date | null;
}

function toRecord(d: TotpDoc): TotpAuthenticatorRecord {
  return {
    id: d._id,
    userId: d.userId,
    name: d.name,
    secret: { keyId: d.keyId, sealed: d.sealed },
    confirmed: d.confirmed,
    expiresAt: d.expiresAt ? d.expiresAt.getTime() : null,
    lastUsedStep: d.lastUsedStep,
    createdAt: d.createdAt.getTime(),
    lastUsedAt: d.lastUsedAt ? d.lastUsedAt.getTime() : null,
  };
}

function toDoc(a: TotpAuthenticatorRecord): TotpDoc {
  return {
    _id: a.id,
    userId: a.userId,
    name: a.name,
    keyId: a.secret.keyId,
    sealed: a.secret.sealed,
    confirmed: a.confirmed,
    ...(a.expiresAt !== null && { expiresAt: new Date(a.expiresAt) }),
    lastUsedStep: a.lastUsedStep,
    createdAt: new Date(a.createdAt),
    lastUsedAt: a.lastUsedAt === null ? null : new Date(a.lastUsedAt),
  };
}

/**
 * A step can be accepted while it is within ±1 step of now, so at most 3 periods after it
 * began; 10 minutes covers that at the longest TOTP_PERIOD (120 s). Later, lastUsedStep
 * alone refuses it.
 */
const STEP_CLAIM_MS = 10 * 60_000;

export function totpCollection(db: Db): Collection<TotpDoc> {
  return db.collection<TotpDoc>('totp_authenticators');
}

/** Returns whether the server expires pending set-ups itself (TTL index). */
export async function createTotpIndexes(db: Db): Promise<boolean> {
  await totpCollection(db).createIndex({ userId: 1, createdAt: 1 }, { name: 'by_user' });
  return ensureTtlIndex(totpCollection(db));
}

export function createMongoTotpStore(db: Db, claimOnce: ClaimOnce): TotpStore {
  const col = totpCollection(db);
  /** true for exactly one caller per authenticator and step. */
  const claimStep = (id: string, step: number, at: number) => claimOnce(`totp-step:${id}:${step}`, at + STEP_CLAIM_MS);

  return {
    async createPending(a) {
      await col.insertOne(toDoc(a));
    },
    async findPending(userId, id, now) {
      const d = await col.findOne({ _id: id, userId, confirmed: false, expiresAt: { $gt: new Date(now) } });
      return d ? toRecord(d) : null;
    },
    async confirm(userId, id, step, now) {
      if (!(await col.countDocuments({ _id: id, userId, confirmed: false }, { limit: 1 }))) return null;
      if (!(await claimStep(id, step, now))) return null;
      const d = await col.findOneAndUpdate(
        { _id: id, userId, confirmed: false, expiresAt: { $gt: new Date(now) }, lastUsedStep: { $lt: step } },
        { $set: { confirmed: true, lastUsedStep: step }, $unset: { expiresAt: '' } },
        { returnDocument: 'after' },
      );
      return d ? toRecord(d) : null;
    },
    async listConfirmed(userId) {
      return (await col.find({ userId, confirmed: true }).sort({ createdAt: 1, _id: 1 }).toArray()).map(toRecord);
    },
    countConfirmed: (userId) => col.countDocuments({ userId, confirmed: true }),
    async rename(userId, id, name) {
      const d = await col.findOneAndUpdate({ _id: id, userId, confirmed: true }, { $set: { name } }, { returnDocument: 'after' });
      return d ? toRecord(d) : null;
    },
    async remove(userId, id) {
      // deleteOne's count, unlike findOneAndDelete's document, is exact on FerretDB too:
      // of parallel removals only one gets the authenticator (and may have to restore it).
      const d = await col.findOne({ _id: id, userId });
      return d && (await col.deleteOne({ _id: id, userId })).deletedCount === 1 ? toRecord(d) : null;
    },
    async restore(a) {
      await col.insertOne(toDoc(a));
    },
    async recordUse(id, step, at) {
      if (!(await claimStep(id, step, at))) return false;
      const r = await col.updateOne(
        { _id: id, confirmed: true, lastUsedStep: { $lt: step } },
        { $set: { lastUsedStep: step, lastUsedAt: new Date(at) } },
      );
      return r.modifiedCount === 1;
    },
    async listPage(afterId, limit) {
      const filter = afterId === null ? {} : { _id: { $gt: afterId } };
      return (await col.find(filter).sort({ _id: 1 }).limit(limit).toArray()).map(toRecord);
    },
    async replaceSecret(id, expected: SealedSecret, next: SealedSecret) {
      const r = await col.updateOne(
        { _id: id, keyId: expected.keyId, sealed: expected.sealed },
        { $set: { keyId: next.keyId, sealed: next.sealed } },
      );
      return r.modifiedCount === 1;
    },
    async removeAllForUser(userId) {
      return (await col.deleteMany({ userId })).deletedCount;
    },
  };
}
