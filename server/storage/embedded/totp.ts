import type { Database } from 'better-sqlite3';
import type { TotpAuthenticatorRecord, TotpStore } from '../port.js';

export const TOTP_SCHEMA = `
CREATE TABLE IF NOT EXISTS totp_authenticators (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  key_id TEXT NOT NULL,
  sealed TEXT NOT NULL,
  confirmed INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER,
  last_used_step INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX IF NOT EXISTS totp_by_user ON totp_authenticators(user_id, created_at);
CREATE INDEX IF NOT EXISTS totp_expiry ON totp_authenticators(expires_at);
`;

interface Row {
  id: string;
  user_id: string;
  name: string;
  key_id: string;
  sealed: string;
  confirmed: number;
  expires_at: number | null;
  last_used_step: number;
  created_at: number;
  last_used_at: number | null;
}

function toRecord(r: Row): TotpAuthenticatorRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    secret: { keyId: r.key_id, sealed: r.sealed },
    confirmed: r.confirmed === 1,
    expiresAt: r.expires_at,
    lastUsedStep: r.last_used_step,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  };
}

const toParams = (a: TotpAuthenticatorRecord) => ({
  id: a.id,
  userId: a.userId,
  name: a.name,
  keyId: a.secret.keyId,
  sealed: a.secret.sealed,
  confirmed: a.confirmed ? 1 : 0,
  expiresAt: a.expiresAt,
  lastUsedStep: a.lastUsedStep,
  createdAt: a.createdAt,
  lastUsedAt: a.lastUsedAt,
});

export function createEmbeddedTotpStore(db: Database): TotpStore {
  const insert = db.prepare(
    `INSERT INTO totp_authenticators (id, user_id, name, key_id, sealed, confirmed, expires_at, last_used_step, created_at, last_used_at)
     VALUES (@id, @userId, @name, @keyId, @sealed, @confirmed, @expiresAt, @lastUsedStep, @createdAt, @lastUsedAt)`,
  );
  const pending = db.prepare<[string, string, number], Row>(
    'SELECT * FROM totp_authenticators WHERE id = ? AND user_id = ? AND confirmed = 0 AND expires_at > ?',
  );
  const confirm = db.prepare<[{ step: number; id: string; userId: string; now: number }], Row>(
    `UPDATE totp_authenticators SET confirmed = 1, last_used_step = @step, expires_at = NULL
     WHERE id = @id AND user_id = @userId AND confirmed = 0 AND expires_at > @now AND last_used_step < @step RETURNING *`,
  );
  const confirmed = db.prepare<[string], Row>('SELECT * FROM totp_authenticators WHERE user_id = ? AND confirmed = 1 ORDER BY created_at, id');
  const count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM totp_authenticators WHERE user_id = ? AND confirmed = 1');
  const rename = db.prepare<[string, string, string], Row>(
    'UPDATE totp_authenticators SET name = ? WHERE id = ? AND user_id = ? AND confirmed = 1 RETURNING *',
  );
  const remove = db.prepare<[string, string], Row>('DELETE FROM totp_authenticators WHERE id = ? AND user_id = ? RETURNING *');
  // The WHERE clause is the replay guard: one statement, so one caller per time step wins.
  const use = db.prepare(
    `UPDATE totp_authenticators SET last_used_step = @step, last_used_at = @at
     WHERE id = @id AND confirmed = 1 AND last_used_step < @step`,
  );
  const page = db.prepare<[string, number], Row>('SELECT * FROM totp_authenticators WHERE id > ? ORDER BY id LIMIT ?');
  const reseal = db.prepare(
    'UPDATE totp_authenticators SET key_id = ?, sealed = ? WHERE id = ? AND key_id = ? AND sealed = ?',
  );

  return {
    async createPending(a) {
      insert.run(toParams(a));
    },
    async findPending(userId, id, now) {
      const r = pending.get(id, userId, now);
      return r ? toRecord(r) : null;
    },
    async confirm(userId, id, step, now) {
      const r = confirm.get({ step, id, userId, now });
      return r ? toRecord(r) : null;
    },
    async listConfirmed(userId) {
      return confirmed.all(userId).map(toRecord);
    },
    async countConfirmed(userId) {
      return count.get(userId)?.n ?? 0;
    },
    async rename(userId, id, name) {
      const r = rename.get(name, id, userId);
      return r ? toRecord(r) : null;
    },
    async remove(userId, id) {
      const r = remove.get(id, userId);
      return r ? toRecord(r) : null;
    },
    async restore(a) {
      insert.run(toParams(a));
    },
    async recordUse(id, step, at) {
      return use.run({ id, step, at }).changes === 1;
    },
    async listPage(afterId, limit) {
      return page.all(afterId ?? '', limit).map(toRecord);
    },
    async replaceSecret(id, expected, next) {
      return reseal.run(next.keyId, next.sealed, id, expected.keyId, expected.sealed).changes === 1;
    },
    async removeAllForUser(userId) {
      return db.prepare('DELETE FROM totp_authenticators WHERE user_id = ?').run(userId).changes;
    },
  };
}
