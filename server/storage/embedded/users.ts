import type { Database } from 'better-sqlite3';
import type { UserRecord, UserStore } from '../port.js';
import { isLanguage } from '../../language.js';

interface UserRow {
  id: string;
  username: string;
  username_normalized: string;
  display_name: string;
  password_hash: string;
  roles: string;
  groups: string;
  email: string | null;
  created_at: number;
  username_skeleton: string | null;
  email_key: string | null;
  language: string | null;
  directory_id: string | null;
  directory_groups: string;
}

export const USERS_SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  username_normalized TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL DEFAULT '[]',
  groups TEXT NOT NULL DEFAULT '[]',
  email TEXT,
  created_at INTEGER NOT NULL,
  username_skeleton TEXT
);
`;

/**
 * The look-alike key's and the address's unique indexes, once addMissingColumns (migrations.ts)
 * added the columns. NULLs (users not yet backfilled, users without an address) never collide
 * in a SQLite UNIQUE index. Users stored before: each address's first holder (by rowid) gets
 * the key; where an older Keyward let two accounts share one, the other keeps none (nothing
 * is changed or lost) and no new account can take the address.
 */
export const USERS_LATE_INDEXES = `
CREATE UNIQUE INDEX IF NOT EXISTS users_username_skeleton ON users(username_skeleton);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users(email_key);
CREATE UNIQUE INDEX IF NOT EXISTS users_directory_id ON users(directory_id);
UPDATE OR IGNORE users SET email_key = lower(email) WHERE email IS NOT NULL AND email_key IS NULL;
`;

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    username: r.username,
    usernameNormalized: r.username_normalized,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    roles: JSON.parse(r.roles) as string[],
    groups: JSON.parse(r.groups) as string[],
    email: r.email,
    createdAt: r.created_at,
    usernameSkeleton: r.username_skeleton,
    language: isLanguage(r.language) ? r.language : null,
    // Only on directory people's records: a local account reads as it always did.
    ...(r.directory_id !== null && { directoryId: r.directory_id, directoryGroups: JSON.parse(r.directory_groups) as string[] }),
  };
}

export function createEmbeddedUserStore(db: Database): UserStore {
  // INSERT OR IGNORE: a taken username (or skeleton) is an expected answer (false), not an exception.
  const insert = db.prepare(
    `INSERT OR IGNORE INTO users (id, username, username_normalized, display_name, password_hash, roles, groups, email, created_at, username_skeleton, email_key, language, directory_id, directory_groups)
     VALUES (@id, @username, @usernameNormalized, @displayName, @passwordHash, @roles, @groups, @email, @createdAt, @usernameSkeleton, @emailKey, @language, @directoryId, @directoryGroups)`,
  );
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email_key = ?');
  const withoutSkeleton = db.prepare<{ after: string | null; limit: number }, UserRow>(
    'SELECT * FROM users WHERE username_skeleton IS NULL AND (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit',
  );
  const usernames = db.prepare<{ after: string | null; limit: number }, { id: string; username: string }>(
    'SELECT id, username FROM users WHERE (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit',
  );
  const setSkeleton = db.prepare('UPDATE OR IGNORE users SET username_skeleton = ? WHERE id = ? AND username_skeleton IS NULL');
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username_normalized = ?');
  const byDirectoryId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE directory_id = ?');
  const syncAttributes = db.prepare('UPDATE users SET display_name = @displayName, directory_groups = @groups WHERE id = @id AND directory_id IS NOT NULL');
  // OR IGNORE: a name or address another account holds leaves this one's as it was.
  const syncEmail = db.prepare('UPDATE OR IGNORE users SET email = @email, email_key = lower(@email) WHERE id = @id AND directory_id IS NOT NULL AND email IS NOT @email');
  const syncName = db.prepare(
    'UPDATE OR IGNORE users SET username = @username, username_normalized = @usernameNormalized, username_skeleton = @usernameSkeleton WHERE id = @id AND directory_id IS NOT NULL AND username IS NOT @username',
  );
  const current = db.prepare<[string], { email: string | null; username: string }>('SELECT email, username FROM users WHERE id = ?');
  // IS NOT: NULL-safe, so the first language is stored and an unchanged one is no write.
  const setLanguage = db.prepare('UPDATE users SET language = ? WHERE id = ? AND language IS NOT ?');
  const setHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?');
  const addRole = db.prepare(
    "UPDATE users SET roles = CASE WHEN EXISTS (SELECT 1 FROM json_each(roles) WHERE value = @role) THEN roles ELSE json_insert(roles, '$[#]', @role) END WHERE username_normalized = @name",
  );
  const dropRole = db.prepare(
    "UPDATE users SET roles = (SELECT json_group_array(value) FROM json_each(roles) WHERE value != @role) WHERE username_normalized = @name",
  );
  // substr() rather than LIKE: a prefix with % or _ in it means those characters.
  // The range condition lets SQLite seek on the unique index; substr() then filters the prefix.
  const search = db.prepare<{ prefix: string; after: string; limit: number }, UserRow>(
    'SELECT * FROM users WHERE username_normalized >= @prefix AND username_normalized > @after AND substr(username_normalized, 1, length(@prefix)) = @prefix ORDER BY username_normalized LIMIT @limit',
  );

  const setGroups = db.prepare('UPDATE users SET groups = ? WHERE id = ?');
  // One transaction: read, change and write the set with nothing in between.
  const changeGroups = db.transaction((id: string, add: string[], remove: string[]) => {
    const r = byId.get(id);
    if (!r) return null;
    const groups = [...new Set([...(JSON.parse(r.groups) as string[]), ...add])].filter((g) => !remove.includes(g)).sort();
    setGroups.run(JSON.stringify(groups), id);
    return toRecord({ ...r, groups: JSON.stringify(groups) });
  });

  return {
    async create(u) {
      const r = insert.run({
        ...u,
        roles: JSON.stringify(u.roles),
        groups: JSON.stringify(u.groups),
        emailKey: u.email?.toLowerCase() ?? null,
        directoryId: u.directoryId ?? null,
        directoryGroups: JSON.stringify(u.directoryGroups ?? []),
      });
      return r.changes === 1;
    },
    async findById(id) {
      const r = byId.get(id);
      return r ? toRecord(r) : null;
    },
    async findByUsername(n) {
      const r = byName.get(n);
      return r ? toRecord(r) : null;
    },
    async findByDirectoryId(directoryId) {
      const r = byDirectoryId.get(directoryId);
      return r ? toRecord(r) : null;
    },
    async syncFromDirectory(id, from) {
      syncAttributes.run({ id, displayName: from.displayName, groups: JSON.stringify([...new Set(from.groups)].sort()) });
      syncEmail.run({ id, email: from.email });
      syncName.run({ id, username: from.username, usernameNormalized: from.usernameNormalized, usernameSkeleton: from.usernameSkeleton });
      const now = current.get(id);
      return now !== undefined && now.email === from.email && now.username === from.username;
    },
    async findByEmail(address) {
      const r = byEmail.get(address.toLowerCase());
      return r ? toRecord(r) : null;
    },
    async setRole(name, role, present) {
      return (present ? addRole : dropRole).run({ name, role }).changes === 1;
    },
    async search(prefix, limit, after = '') {
      return search.all({ prefix, after, limit }).map(toRecord);
    },
    async listWithoutSkeleton(after, limit) {
      return withoutSkeleton.all({ after, limit }).map(toRecord);
    },
    async listUsernames(after, limit) {
      return usernames.all({ after, limit });
    },
    async setSkeleton(id, skeleton) {
      return setSkeleton.run(skeleton, id).changes === 1;
    },
    async changeGroups(id, add, remove) {
      return changeGroups(id, add, remove);
    },
    async setLanguage(id, language) {
      return setLanguage.run(language, id, language).changes === 1;
    },
    async updatePasswordHash(id, expected, next) {
      return setHash.run(next, id, expected).changes === 1;
    },
  };
}
