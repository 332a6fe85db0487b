import type { Database } from 'better-sqlite3';
import type { AuditEvent, AuditStore } from '../port.js';

export const AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  outcome TEXT NOT NULL,
  user_id TEXT,
  ip TEXT,
  user_agent TEXT,
  request_id TEXT,
  details TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_user ON audit(user_id, at);
CREATE INDEX IF NOT EXISTS audit_by_type ON audit(type, at);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit(at);
`;

interface Row {
  id: string;
  at: number;
  type: string;
  outcome: AuditEvent['outcome'];
  user_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: string;
}

export function toAuditEvent(r: Row): AuditEvent {
  return {
    id: r.id,
    at: r.at,
    type: r.type,
    outcome: r.outcome,
    userId: r.user_id,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}

export function createEmbeddedAuditStore(db: Database): AuditStore {
  const insert = db.prepare(
    `INSERT INTO audit (id, at, type, outcome, user_id, ip, user_agent, request_id, details)
     VALUES (@id, @at, @type, @outcome, @userId, @ip, @userAgent, @requestId, @details)`,
  );
  // The cursor event's own seq (written order) breaks the tie within its millisecond; an id
  // that is not there (or is another user's) leaves only the time bound.
  const forUser = db.prepare<{ userId: string; before: number; beforeId: string | null; limit: number }, Row>(
    `SELECT * FROM audit WHERE user_id = @userId
       AND (at < @before OR (at = @before AND seq < (SELECT seq FROM audit WHERE id = @beforeId AND user_id = @userId AND at = @before)))
       ORDER BY at DESC, seq DESC LIMIT @limit`,
  );
  const query = db.prepare<Record<string, string | number | null>, Row>(
    `SELECT * FROM audit WHERE (@userId IS NULL OR user_id = @userId) AND (@type IS NULL OR type = @type)
       AND at >= @from AND at <= @to ORDER BY at DESC, seq DESC LIMIT @limit`,
  );
  return {
    async query(f) {
      const to = Math.min(f.to ?? Number.MAX_SAFE_INTEGER, f.before !== undefined ? f.before - 1 : Number.MAX_SAFE_INTEGER);
      return query.all({ userId: f.userId ?? null, type: f.type ?? null, from: f.from ?? 0, to, limit: f.limit }).map(toAuditEvent);
    },
    async append(e) {
      insert.run({ ...e, details: JSON.stringify(e.details) });
    },
    async listForUser(userId, opts) {
      return forUser.all({ userId, before: opts.before ?? Number.MAX_SAFE_INTEGER, beforeId: opts.beforeId ?? null, limit: opts.limit }).map(toAuditEvent);
    },
  };
}
