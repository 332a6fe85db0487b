import type { Database } from 'better-sqlite3';
import type { AttemptStore } from '../port.js';

export const ATTEMPTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS attempts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  account TEXT,
  at INTEGER NOT NULL,
  until INTEGER,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_key ON attempts(key, kind, at);
CREATE INDEX IF NOT EXISTS attempts_by_account ON attempts(account, kind, until);
CREATE INDEX IF NOT EXISTS attempts_expiry ON attempts(expires_at);
`;

export function createEmbeddedAttemptStore(db: Database): AttemptStore {
  const insert = db.prepare('INSERT INTO attempts (kind, key, account, at, until, expires_at) VALUES (@kind, @key, @account, @at, @until, @expiresAt)');
  const count = db.prepare<[string, string, number], { n: number }>('SELECT COUNT(*) AS n FROM attempts WHERE key = ? AND kind = ? AND at > ?');
  const until = db.prepare<[string, number], { u: number | null }>(
    "SELECT MAX(until) AS u FROM attempts WHERE key IN (SELECT value FROM json_each(?)) AND kind = 'block' AND until > ?",
  );
  const clearKey = db.prepare('DELETE FROM attempts WHERE key = ?');
  const clearAccount = db.prepare('DELETE FROM attempts WHERE account = ?');
  const locked = db.prepare<[string, number], { account: string }>(
    "SELECT DISTINCT account FROM attempts WHERE account IN (SELECT value FROM json_each(?)) AND kind = 'block' AND until > ?",
  );
  return {
    async add(r) {
      insert.run(r);
    },
    async countFailures(key, since) {
      return count.get(key, 'failure', since)?.n ?? 0;
    },
    async countBlocks(key, since) {
      return count.get(key, 'block', since)?.n ?? 0;
    },
    async blockedUntil(keys, now) {
      return until.get(JSON.stringify(keys), now)?.u ?? null;
    },
    async clearKey(key) {
      return clearKey.run(key).changes;
    },
    async clearAccount(account) {
      return clearAccount.run(account).changes;
    },
    async lockedAccounts(accounts, now) {
      if (accounts.length === 0) return [];
      return locked.all(JSON.stringify(accounts), now).map((r) => r.account);
    },
  };
}
