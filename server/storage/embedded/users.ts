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
  };
}

export function createEmbeddedUserStore(db: Database): UserStore {
  // INSERT OR IGNORE: a taken username is an expected answer (false), not an exception.
  const insert = db.prepare(
    `INSERT OR IGNORE INTO users (id, username, username_normalized, display_name, password_hash, roles, created_at)
     VALUES (@id, @username, @usernameNormalized, @displayName, @passwordHash, @roles, @createdAt)`,
  );
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username_normalized = ?');
  const setHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?');

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
    async updatePasswordHash(id, expected, next) {
      return setHash.run(next, id, expected).changes === 1;
    },
  };
}
