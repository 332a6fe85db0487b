import type { Database } from 'better-sqlite3';
import type { SessionRecord, SessionStore } from '../port.js';

export const SESSIONS_SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,
  public_id TEXT NOT NULL,
  user_id TEXT,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ip TEXT,
  user_agent TEXT,
  aal INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_id);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
`;

/**
 * Creates the table. A table from before session control (no public_id) is dropped, not
 * migrated: its cookies were signed in another format, so none of its sessions could be used.
 */
export function prepareSessionsTable(db: Database): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(sessions)').all();
  if (columns.length > 0 && !columns.some((c) => c.name === 'public_id')) db.exec('DROP TABLE sessions');
  db.exec(SESSIONS_SCHEMA);
}

interface SessionRow {
  id_hash: string;
  public_id: string;
  user_id: string | null;
  data: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
  aal: number;
}

const toRecord = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  publicId: r.public_id,
  userId: r.user_id,
  data: JSON.parse(r.data) as Record<string, unknown>,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  ip: r.ip,
  userAgent: r.user_agent,
  aal: r.aal,
});

interface SessionUserRow extends SessionRow {
  u_username: string | null;
  u_display_name: string | null;
  u_groups: string | null;
  u_directory_id: string | null;
}

export function createEmbeddedSessionStore(db: Database): SessionStore {
  const get = db.prepare<[string, number], SessionRow>('SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?');
  // Forward-auth's one read: the session and the names its user is known by, by primary keys.
  const getWithUser = db.prepare<[string, number], SessionUserRow>(
    `SELECT s.*, u.username AS u_username, u.display_name AS u_display_name, u.groups AS u_groups, u.directory_id AS u_directory_id
     FROM sessions s LEFT JOIN users u ON u.id = s.user_id
     WHERE s.id_hash = ? AND s.expires_at > ?`,
  );
  const insert = db.prepare(
    `INSERT INTO sessions (id_hash, public_id, user_id, data, created_at, last_seen_at, expires_at, ip, user_agent, aal)
     VALUES (@idHash, @publicId, @userId, @data, @createdAt, @lastSeenAt, @expiresAt, @ip, @userAgent, @aal)
     ON CONFLICT(id_hash) DO NOTHING`,
  );
  // Conditional in the statement itself: a deleted or expired row is not there to update.
  const update = db.prepare(
    `UPDATE sessions SET data = COALESCE(@data, data), last_seen_at = @lastSeenAt, expires_at = @expiresAt, ip = @ip
     WHERE id_hash = @idHash AND expires_at > @now`,
  );
  const delLive = db.prepare('DELETE FROM sessions WHERE id_hash = ? AND expires_at > ?');
  const del = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const list = db.prepare<[string, number], SessionRow>('SELECT * FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC');
  const delPublic = db.prepare('DELETE FROM sessions WHERE user_id = ? AND public_id = ?');
  const delUser = db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?');
  const row = (r: SessionRecord) => ({ ...r, data: JSON.stringify(r.data) });
  // One transaction: the old row's deletion decides, and the new one exists only if it won.
  const rotate = db.transaction((oldIdHash: string, next: SessionRecord, now: number) => {
    if (delLive.run(oldIdHash, now).changes !== 1) return false;
    return insert.run(row(next)).changes === 1;
  });

  return {
    async get(idHash, now) {
      const r = get.get(idHash, now);
      return r ? toRecord(r) : null;
    },
    async getWithUser(idHash, now) {
      const r = getWithUser.get(idHash, now);
      if (!r) return null;
      // A directory person's names and groups are the directory's, and their removal there must
      // end their sessions: left to the identity cache, which asks the directory once a minute.
      if (r.u_directory_id !== null) return toRecord(r);
      const user = r.u_username === null ? null : { username: r.u_username, displayName: r.u_display_name!, groups: JSON.parse(r.u_groups!) as string[] };
      return { ...toRecord(r), user };
    },
    async create(r) {
      return insert.run(row(r)).changes === 1;
    },
    async update(idHash, c, now) {
      return update.run({ idHash, now, data: c.data ? JSON.stringify(c.data) : null, lastSeenAt: c.lastSeenAt, expiresAt: c.expiresAt, ip: c.ip }).changes === 1;
    },
    async rotate(oldIdHash, next, now) {
      return rotate(oldIdHash, next, now);
    },
    async destroy(idHash) {
      del.run(idHash);
    },
    async listForUser(userId, now) {
      return list.all(userId, now).map(toRecord);
    },
    async destroyByPublicId(userId, publicId) {
      return delPublic.run(userId, publicId).changes > 0;
    },
    async destroyAllForUser(userId, exceptIdHash) {
      return delUser.run(userId, exceptIdHash ?? null).changes;
    },
  };
}
