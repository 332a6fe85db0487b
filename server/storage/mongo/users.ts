import type { ClaimOnce } from './claims.js';
import type { Collection, Db } from 'mongodb';
import type { UserRecord, UserStore } from '../port.js';
import { isDuplicateKey } from './guard.js';
import { isLanguage, type Language } from '../../language.js';

interface UserDoc {
  _id: string;
  username: string;
  usernameNormalized: string;
  displayName: string;
  passwordHash: string;
  roles: string[];
  // Absent on users stored before e-mail existed.
  email?: string | null;
  createdAt: Date;
  /** Absent (never null) until backfilled: the sparse unique index skips absent fields only. */
  usernameSkeleton?: string;
  /**
   * The address in lower case, absent when there is none: a sparse unique index, since
   * FerretDB v1 has no partial indexes (and `email: null` would collide in a plain one).
   */
  emailKey?: string;
  /** Absent until the person signs in with a page language. */
  language?: Language;
  /** Absent for a local account (sparse unique index). */
  directoryId?: string;
  /** The directory's answer, replaced whole at each look-up (the directory is the authority). */
  directoryGroups?: string[];
  /** Counts the conditional password changes (absent: 0): what updatePasswordHash claims. */
  passwordVersion?: number;
}

// How long an unfinished password-change claim blocks the next change of that version: a
// caller that died between its claim and its write holds the account no longer than this.
const PASSWORD_CLAIM_MS = 60_000;

// One document per membership, not an array on the user: FerretDB v1 runs $addToSet and
// $pull as a read then a write, so two simultaneous edits could undo each other (a removal
// lost is access kept). Inserting and deleting single documents is atomic everywhere.
interface MembershipDoc {
  _id: string;
  userId: string;
  group: string;
}

function toRecord(d: UserDoc, groups: string[]): UserRecord {
  return {
    id: d._id,
    username: d.username,
    usernameNormalized: d.usernameNormalized,
    displayName: d.displayName,
    passwordHash: d.passwordHash,
    roles: d.roles,
    groups,
    email: d.email ?? null,
    createdAt: d.createdAt.getTime(),
    usernameSkeleton: d.usernameSkeleton ?? null,
    language: isLanguage(d.language) ? d.language : null,
    // Only on directory people's records: a local account reads as it always did.
    ...(d.directoryId !== undefined && { directoryId: d.directoryId, directoryGroups: d.directoryGroups ?? [] }),
  };
}

export function usersCollection(db: Db): Collection<UserDoc> {
  return db.collection<UserDoc>('users');
}

export function membershipsCollection(db: Db): Collection<MembershipDoc> {
  return db.collection<MembershipDoc>('group_members');
}

export async function createUserIndexes(db: Db): Promise<void> {
  await usersCollection(db).createIndex({ usernameNormalized: 1 }, { unique: true, name: 'username_unique' });
  // Sparse: users stored before skeletons existed have none until the start-up backfill.
  await usersCollection(db).createIndex({ usernameSkeleton: 1 }, { unique: true, sparse: true, name: 'username_skeleton_unique' });
  await usersCollection(db).createIndex({ emailKey: 1 }, { unique: true, sparse: true, name: 'email_unique' });
  await usersCollection(db).createIndex({ directoryId: 1 }, { unique: true, sparse: true, name: 'directory_id_unique' });
  await membershipsCollection(db).createIndex({ userId: 1 }, { name: 'by_user' });
  await backfillEmailKeys(db);
}

/**
 * Users stored before the address was unique get its key: the first (by id) of accounts an
 * older Keyward let share one holds it, the others keep none (nothing is changed or lost),
 * and no new account can take the address. Idempotent; instances starting together race
 * harmlessly (the index decides).
 */
async function backfillEmailKeys(db: Db): Promise<void> {
  const users = usersCollection(db);
  const missing = users.find({ email: { $type: 'string' }, emailKey: { $exists: false } }, { projection: { email: 1 } }).sort({ _id: 1 });
  for await (const d of missing) {
    try {
      await users.updateOne({ _id: d._id, emailKey: { $exists: false } }, { $set: { emailKey: d.email!.toLowerCase() } });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}

const membership = (userId: string, group: string): MembershipDoc => ({ _id: `${userId}\u0000${group}`, userId, group });

export function createMongoUserStore(db: Db, claimOnce: ClaimOnce): UserStore {
  const users = usersCollection(db);
  const members = membershipsCollection(db);
  const groupsOf = async (userId: string) => (await members.find({ userId }).toArray()).map((m) => m.group).sort();
  const withGroups = async (d: UserDoc | null) => (d ? toRecord(d, await groupsOf(d._id)) : null);
  const addGroups = async (userId: string, groups: string[]) => {
    if (!groups.length) return;
    try {
      await members.insertMany(groups.map((g) => membership(userId, g)), { ordered: false });
    } catch (err) {
      // Already a member: the insert that exists is the answer.
      if (!isDuplicateKey(err)) throw err;
    }
  };
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
          email: u.email,
          createdAt: new Date(u.createdAt),
          ...(u.usernameSkeleton !== null && { usernameSkeleton: u.usernameSkeleton }),
          ...(u.email !== null && { emailKey: u.email.toLowerCase() }),
          ...(u.language !== null && { language: u.language }),
          ...(u.directoryId && { directoryId: u.directoryId, directoryGroups: u.directoryGroups ?? [] }),
        });
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
      await addGroups(u.id, u.groups);
      return true;
    },
    findById: async (id) => withGroups(await users.findOne({ _id: id })),
    findByUsername: async (usernameNormalized) => withGroups(await users.findOne({ usernameNormalized })),
    findByDirectoryId: async (directoryId) => withGroups(await users.findOne({ directoryId })),
    async syncFromDirectory(id, from) {
      const mine = { _id: id, directoryId: { $exists: true } };
      await users.updateOne(mine, { $set: { displayName: from.displayName, directoryGroups: [...new Set(from.groups)].sort() } });
      // Each its own update: a name or address another account holds (duplicate key) leaves
      // this one's as it was, and the rest still lands.
      const tolerant = async (set: Partial<UserDoc>, unset: Record<string, ''> = {}) => {
        try {
          await users.updateOne(mine, { $set: set, ...(Object.keys(unset).length && { $unset: unset }) });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      };
      await tolerant(from.email === null ? { email: null } : { email: from.email, emailKey: from.email.toLowerCase() }, from.email === null ? { emailKey: '' } : {});
      await tolerant({ username: from.username, usernameNormalized: from.usernameNormalized, usernameSkeleton: from.usernameSkeleton });
      const now = await users.findOne({ _id: id }, { projection: { email: 1, username: 1 } });
      return now !== null && (now.email ?? null) === from.email && now.username === from.username;
    },
    findByEmail: async (address) => withGroups(await users.findOne({ emailKey: address.toLowerCase() })),
    async setRole(usernameNormalized, role, present) {
      const update = present ? { $addToSet: { roles: role } } : { $pull: { roles: role } };
      return (await users.updateOne({ usernameNormalized }, update)).matchedCount === 1;
    },
    async search(prefix, limit, after) {
      const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const found = await users.find({ usernameNormalized: { $regex: `^${escaped}`, ...(after !== undefined && { $gt: after }) } }).sort({ usernameNormalized: 1 }).limit(limit).toArray();
      return Promise.all(found.map(async (d) => toRecord(d, await groupsOf(d._id))));
    },
    async changeGroups(id, add, remove) {
      if (!(await users.countDocuments({ _id: id }, { limit: 1 }))) return null;
      await addGroups(id, add);
      if (remove.length) await members.deleteMany({ _id: { $in: remove.map((g) => membership(id, g)._id) } });
      return withGroups(await users.findOne({ _id: id }));
    },
    async listWithoutSkeleton(after, limit) {
      const filter = { usernameSkeleton: { $exists: false }, ...(after !== null && { _id: { $gt: after } }) };
      const found = await users.find(filter).sort({ _id: 1 }).limit(limit).toArray();
      return Promise.all(found.map(async (d) => toRecord(d, await groupsOf(d._id))));
    },
    async listUsernames(after, limit) {
      const found = await users.find(after === null ? {} : { _id: { $gt: after } }, { projection: { username: 1 } }).sort({ _id: 1 }).limit(limit).toArray();
      return found.map((d) => ({ id: d._id, username: d.username }));
    },
    async setSkeleton(id, skeleton) {
      try {
        return (await users.updateOne({ _id: id, usernameSkeleton: { $exists: false } }, { $set: { usernameSkeleton: skeleton } })).modifiedCount === 1;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async setLanguage(id, language) {
      // $ne in the filter: an unchanged language matches nothing and writes nothing.
      return (await users.updateOne({ _id: id, language: { $ne: language } }, { $set: { language } })).modifiedCount === 1;
    },
    async updatePasswordHash(id, expected, next) {
      // A conditional update alone is read-then-write on FerretDB v1: two simultaneous changes
      // from one password could both succeed. One claim per change version picks the one that
      // may write; the write moves the version on, so the next change claims a new key.
      const doc = await users.findOne({ _id: id, passwordHash: expected }, { projection: { passwordVersion: 1 } });
      if (!doc) return false;
      const version = doc.passwordVersion ?? 0;
      if (!(await claimOnce(`password:${id}:v${version}`, Date.now() + PASSWORD_CLAIM_MS))) return false;
      const r = await users.updateOne({ _id: id, passwordHash: expected }, { $set: { passwordHash: next, passwordVersion: version + 1 } });
      return r.modifiedCount === 1;
    },
  };
}
