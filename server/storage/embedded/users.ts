import type { Database } from 'better-sqlite3';
import type { UserRecord, UserStore } from '../port.js';

interface UserRow {
  id: string;
  username: string;
  username_normalized: string;
  display_name: string;
  password_hash: string;
  roles: string;
  created_at: number;
  username_skeleton: string | null;
}

/** Adds what later versions store to a users table made by an earlier one. */
export function migrateUsers(db: Database): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(users)').all();
  if (!columns.some((c) => c.name === 'username_skeleton')) db.exec('ALTER TABLE users ADD COLUMN username_skeleton TEXT');
  // NULLs (users not yet backfilled) never collide in a SQLite UNIQUE index.
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS users_username_skeleton ON users(username_skeleton)');
}

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    username: r.username,
    usernameNormalized: r.username_normalized,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    roles: JSON.parse(r.roles) as string[],
    createdAt: r.created_at,
    usernameSkeleton: r.username_skeleton,
  };
}

export function createEmbeddedUserStore(db: Database): UserStore {
  // INSERT OR IGNORE: a taken username (or skeleton) is an expected answer (false), not an exception.
  const insert = db.prepare(
    `INSERT OR IGNORE INTO users (id, username, username_normalized, display_name, password_hash, roles, created_at, username_skeleton)
     VALUES (@id, @username, @usernameNormalized, @displayName, @passwordHash, @roles, @createdAt, @usernameSkeleton)`,
  );
  const withoutSkeleton = db.prepare<{ after: string | null; limit: number }, UserRow>(
    'SELECT * FROM users WHERE username_skeleton IS NULL AND (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit',
  );
  const setSkeleton = db.prepare('UPDATE OR IGNORE users SET username_skeleton = ? WHERE id = ? AND username_skeleton IS NULL');
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username_normalized = ?');
  const setHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?');
  const addRole = db.prepare(
    "UPDATE users SET roles = CASE WHEN EXISTS (SELECT 1 FROM json_each(roles) WHERE value = @role) THEN roles ELSE json_insert(roles, '$[#]', @role) END WHERE username_normalized = @name",
  );
  const dropRole = db.prepare(
    "UPDATE users SET roles = (SELECT json_group_array(value) FROM json_each(roles) WHERE value != @role) WHERE username_normalized = @name",
  );
  // substr() rather than LIKE: a prefix with % or _ in it means those characters.
  const search = db.prepare<{ prefix: string; limit: number }, UserRow>(
    'SELECT * FROM users WHERE substr(username_normalized, 1, length(@prefix)) = @prefix ORDER BY username_normalized LIMIT @limit',
  );

  return {
    async create(u) {
      const r = insert.run({ ...u, roles: JSON.stringify(u.roles) });
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
    async setRole(name, role, present) {
      return (present ? addRole : dropRole).run({ name, role }).changes === 1;
    },
    async search(prefix, limit) {
      return search.all({ prefix, limit }).map(toRecord);
    },
    async listWithoutSkeleton(after, limit) {
      return withoutSkeleton.all({ after, limit }).map(toRecord);
    },
    async setSkeleton(id, skeleton) {
      return setSkeleton.run(skeleton, id).changes === 1;
    },
    async updatePasswordHash(id, expected, next) {
      return setHash.run(next, id, expected).changes === 1;
    },
  };
}
