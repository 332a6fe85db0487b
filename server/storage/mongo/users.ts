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
  };
}

export function usersCollection(db: Db): Collection<UserDoc> {
  return db.collection<UserDoc>('users');
}

export async function createUserIndexes(db: Db): Promise<void> {
  await usersCollection(db).createIndex({ usernameNormalized: 1 }, { unique: true, name: 'username_unique' });
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
    async updatePasswordHash(id, expected, next) {
      const r = await users.updateOne({ _id: id, passwordHash: expected }, { $set: { passwordHash: next } });
      return r.modifiedCount === 1;
    },
  };
}
