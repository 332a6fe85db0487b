import type { Collection, Db } from 'mongodb';
import type { UserRecord, UserStore } from '../port.js';
import { isDuplicateKey } from './guard.js';

interface UserDoc {
  _id: string;
  username: string;
  usernameNormalized: string;
  displayName: string;
  passwordHash: string;
  roles: string[];
  createdAt: Date;
  /** Absent (never null) until backfilled: the sparse unique index skips absent fields only. */
  usernameSkeleton?: string;
}

function toRecord(d: UserDoc): UserRecord {
  return {
    id: d._id,
    username: d.username,
    usernameNormalized: d.usernameNormalized,
    displayName: d.displayName,
    passwordHash: d.passwordHash,
    roles: d.roles,
    createdAt: d.createdAt.getTime(),
    usernameSkeleton: d.usernameSkeleton ?? null,
  };
}

export function usersCollection(db: Db): Collection<UserDoc> {
  return db.collection<UserDoc>('users');
}

export async function createUserIndexes(db: Db): Promise<void> {
  await usersCollection(db).createIndex({ usernameNormalized: 1 }, { unique: true, name: 'username_unique' });
  // Sparse: users stored before skeletons existed have none until the start-up backfill.
  await usersCollection(db).createIndex({ usernameSkeleton: 1 }, { unique: true, sparse: true, name: 'username_skeleton_unique' });
}

export function createMongoUserStore(db: Db): UserStore {
  const users = usersCollection(db);
  return {
    async create(u) {
      try {
        await users.insertOne({
          _id: u.id,
          username: u.username,
          usernameNormalized: u.usernameNormalized,
          displayName: u.displayName,
          passwordHash: u.passwordHash,
          roles: u.roles,
          createdAt: new Date(u.createdAt),
          ...(u.usernameSkeleton !== null && { usernameSkeleton: u.usernameSkeleton }),
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async findById(id) {
      const d = await users.findOne({ _id: id });
      return d ? toRecord(d) : null;
    },
    async findByUsername(usernameNormalized) {
      const d = await users.findOne({ usernameNormalized });
      return d ? toRecord(d) : null;
    },
    async setRole(usernameNormalized, role, present) {
      const update = present ? { $addToSet: { roles: role } } : { $pull: { roles: role } };
      return (await users.updateOne({ usernameNormalized }, update)).matchedCount === 1;
    },
    async search(prefix, limit) {
      const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return (await users.find({ usernameNormalized: { $regex: `^${escaped}` } }).sort({ usernameNormalized: 1 }).limit(limit).toArray()).map(toRecord);
    },
    async listWithoutSkeleton(after, limit) {
      const filter = { usernameSkeleton: { $exists: false }, ...(after !== null && { _id: { $gt: after } }) };
      return (await users.find(filter).sort({ _id: 1 }).limit(limit).toArray()).map(toRecord);
    },
    async setSkeleton(id, skeleton) {
      try {
        return (await users.updateOne({ _id: id, usernameSkeleton: { $exists: false } }, { $set: { usernameSkeleton: skeleton } })).modifiedCount === 1;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async updatePasswordHash(id, expected, next) {
      const r = await users.updateOne({ _id: id, passwordHash: expected }, { $set: { passwordHash: next } });
      return r.modifiedCount === 1;
    },
  };
}
