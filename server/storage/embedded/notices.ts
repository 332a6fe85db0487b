import type { Database } from 'better-sqlite3';
import type { NoticeStore } from '../port.js';

export const NOTICES_SCHEMA = `
CREATE TABLE IF NOT EXISTS notices (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  type TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER
);
CREATE INDEX IF NOT EXISTS notices_by_user ON notices(user_id, read_at, created_at);
`;

interface Row {
  id: string;
  user_id: string;
  type: string;
  message: string;
  created_at: number;
}

export function createEmbeddedNoticeStore(db: Database): NoticeStore {
  const insert = db.prepare('INSERT INTO notices (id, user_id, type, message, created_at, read_at) VALUES (?, ?, ?, ?, ?, NULL)');
  const unread = db.prepare<[string, number], Row>('SELECT * FROM notices WHERE user_id = ? AND read_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const readAll = db.prepare('UPDATE notices SET read_at = ? WHERE user_id = ? AND read_at IS NULL');
  const readSome = db.prepare('UPDATE notices SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?))');
  return {
    async add(n) {
      insert.run(n.id, n.userId, n.type, n.message, n.createdAt);
    },
    async listUnread(userId, limit) {
      return unread.all(userId, limit).map((r) => ({ id: r.id, userId: r.user_id, type: r.type, message: r.message, createdAt: r.created_at, readAt: null }));
    },
    async markRead(userId, ids, at) {
      return (ids === null ? readAll.run(at, userId) : readSome.run(at, userId, JSON.stringify(ids))).changes;
    },
  };
}
