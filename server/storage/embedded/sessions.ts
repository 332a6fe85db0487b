import type { Database } from 'better-sqlite3';
import type { SessionStore } from '../port.js';

interface SessionRow {
  id_hash: string;
  user_id: string | null;
  data: string;
  expires_at: number;
}

export function createEmbeddedSessionStore(db: Database): SessionStore {
  const get = db.prepare<[string, number], SessionRow>('SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?');
  const upsert = db.prepare(
    `INSERT INTO sessions (id_hash, user_id, data, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(id_hash) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at`,
  );
  const del = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const delUser = db.prepare('DELETE FROM sessions WHERE user_id = ?');

  return {
    async get(idHash, now) {
      const r = get.get(idHash, now);
      return r
        ? { idHash: r.id_hash, userId: r.user_id, data: JSON.parse(r.data) as Record<string, unknown>, expiresAt: r.expires_at }
        : null;
    },
    async set(r) {
      upsert.run(r.idHash, r.userId, JSON.stringify(r.data), r.expiresAt);
    },
    async destroy(idHash) {
      del.run(idHash);
    },
    async destroyAllForUser(userId) {
      return delUser.run(userId).changes;
    },
  };
}
