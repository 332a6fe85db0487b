// The back-channel logout queue (port.ts LogoutQueueStore) in one table. A claim is one
// transaction inside the group-commit batch, which holds SQLite's write lock: no other caller,
// in this process or another sharing the file, can claim the same row in between.
import type { Database } from 'better-sqlite3';
import type { LogoutDelivery, LogoutQueueStore } from '../port.js';

// due_at NULL: done, kept until expires_at (swept like every expiring row). Pending rows have
// no expires_at: the sweep never takes an undelivered logout.
export const LOGOUT_QUEUE_SCHEMA = `
CREATE TABLE IF NOT EXISTS logout_queue (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  sub TEXT NOT NULL,
  sid TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  round INTEGER NOT NULL DEFAULT 0,
  due_at INTEGER,
  lease_until INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS logout_queue_due ON logout_queue(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS logout_queue_expiry ON logout_queue(expires_at);
`;

interface Row {
  id: string;
  client_id: string;
  sub: string;
  sid: string;
  attempts: number;
  round: number;
}

export function createEmbeddedLogoutQueueStore(db: Database): LogoutQueueStore {
  const insert = db.prepare('INSERT INTO logout_queue (id, client_id, sub, sid, due_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING');
  const due = db.prepare<[number, number, number], Row>(
    'SELECT id, client_id, sub, sid, attempts, round FROM logout_queue WHERE due_at IS NOT NULL AND due_at <= ? AND lease_until <= ? ORDER BY due_at LIMIT ?',
  );
  const lease = db.prepare('UPDATE logout_queue SET round = round + 1, lease_until = ? WHERE id = ? AND round = ?');
  const finish = db.prepare('UPDATE logout_queue SET due_at = NULL, lease_until = 0, expires_at = ? WHERE id = ? AND round = ?');
  const retry = db.prepare('UPDATE logout_queue SET due_at = ?, attempts = attempts + 1, lease_until = 0 WHERE id = ? AND round = ?');
  const enqueue = db.transaction((items: Parameters<LogoutQueueStore['enqueue']>[0], now: number) => {
    for (const i of items) insert.run(i.id, i.clientId, i.sub, i.sid, now);
  });
  const claim = db.transaction((now: number, leaseMs: number, limit: number): LogoutDelivery[] =>
    due.all(now, now, limit).map((r) => {
      lease.run(now + leaseMs, r.id, r.round);
      return { id: r.id, clientId: r.client_id, sub: r.sub, sid: r.sid, attempts: r.attempts, round: r.round + 1 };
    }),
  );
  return {
    async enqueue(items, now) {
      enqueue(items, now);
    },
    async claim(now, leaseMs, limit) {
      return claim(now, leaseMs, limit);
    },
    async finish(id, round, keepUntil) {
      finish.run(keepUntil, id, round);
    },
    async retry(id, round, dueAt) {
      retry.run(dueAt, id, round);
    },
  };
}
