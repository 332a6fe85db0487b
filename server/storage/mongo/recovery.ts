// Recovery codes as one document per code, so using one is a single findOneAndDelete
// (FerretDB v1 has no conditional $pull); the set document names the user's current set.
import type { Collection, Db } from 'mongodb';
import type { RecoveryCodeStore, RecoverySetRecord } from '../port.js';
import { isDuplicateKey } from './guard.js';

interface SetDoc {
  /** The user id: one set per user, enforced by the primary key. */
  _id: string;
  setId: string;
  salt: string;
  createdAt: Date;
}

interface CodeDoc {
  /** The code's hash; salts differ per set, so hashes do not collide across users. */
  _id: string;
  userId: string;
  setId: string;
}

export function recoverySetsCollection(db: Db): Collection<SetDoc> {
  return db.collection<SetDoc>('recovery_sets');
}

export function recoveryCodesCollection(db: Db): Collection<CodeDoc> {
  return db.collection<CodeDoc>('recovery_codes');
}

export async function createRecoveryIndexes(db: Db): Promise<void> {
  await recoveryCodesCollection(db).createIndex({ userId: 1, setId: 1 }, { name: 'by_user_set' });
}

const toSetDoc = (s: RecoverySetRecord): SetDoc => ({ _id: s.userId, setId: s.setId, salt: s.salt, createdAt: new Date(s.createdAt) });

export function createMongoRecoveryStore(db: Db): RecoveryCodeStore {
  const sets = recoverySetsCollection(db);
  const codes = recoveryCodesCollection(db);
  const insertCodes = (s: RecoverySetRecord, hashes: string[]) =>
    codes.insertMany(hashes.map((h) => ({ _id: h, userId: s.userId, setId: s.setId })));

  return {
    async findSet(userId) {
      const d = await sets.findOne({ _id: userId });
      return d ? { userId: d._id, setId: d.setId, salt: d.salt, createdAt: d.createdAt.getTime() } : null;
    },
    async createSetIfAbsent(set, hashes) {
      // Codes first, then the set: the unique _id decides between simultaneous first
      // enrollments, and a crash in between leaves only codes of a set that never counts.
      await insertCodes(set, hashes);
      try {
        await sets.insertOne(toSetDoc(set));
        return true;
      } catch (err) {
        await codes.deleteMany({ userId: set.userId, setId: set.setId });
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async replaceSet(set, hashes) {
      const previous = await sets.findOne({ _id: set.userId });
      await insertCodes(set, hashes);
      // From this write on, only the new set counts (useCode callers re-check the set).
      await sets.replaceOne({ _id: set.userId }, { setId: set.setId, salt: set.salt, createdAt: new Date(set.createdAt) }, { upsert: true });
      // Only the set this call replaced: a parallel regeneration's codes stay whole.
      if (previous) await codes.deleteMany({ userId: set.userId, setId: previous.setId });
    },
    async useCode(userId, setId, codeHash) {
      // deleteOne, not findOneAndDelete: FerretDB v1 hands the found document to every
      // parallel findOneAndDelete, while deleteOne's count comes from the delete itself.
      return (await codes.deleteOne({ _id: codeHash, userId, setId })).deletedCount === 1;
    },
    countCodes: (userId, setId) => codes.countDocuments({ userId, setId }),
    async removeAllForUser(userId) {
      // Set first: without it no code counts, even if deleting the codes is interrupted.
      const removedSet = (await sets.deleteOne({ _id: userId })).deletedCount;
      return removedSet + (await codes.deleteMany({ userId })).deletedCount;
    },
  };
}
