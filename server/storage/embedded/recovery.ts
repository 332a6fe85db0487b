import type { Database } from 'better-sqlite3';
import type { RecoveryCodeStore, RecoverySetRecord } from '../port.js';

export const RECOVERY_SCHEMA = `
CREATE TABLE IF NOT EXISTS recovery_sets (
  user_id TEXT PRIMARY KEY,
  set_id TEXT NOT NULL,
  salt TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS recovery_codes (
  hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  set_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recovery_codes_by_set ON recovery_codes(user_id, set_id);
`;

interface SetRow {
  user_id: string;
  set_id: string;
  salt: string;
  created_at: number;
}

export function createEmbeddedRecoveryStore(db: Database): RecoveryCodeStore {
  const findSet = db.prepare<[string], SetRow>('SELECT * FROM recovery_sets WHERE user_id = ?');
  const insertSet = db.prepare('INSERT OR IGNORE INTO recovery_sets (user_id, set_id, salt, created_at) VALUES (@userId, @setId, @salt, @createdAt)');
  const upsertSet = db.prepare(
    `INSERT INTO recovery_sets (user_id, set_id, salt, created_at) VALUES (@userId, @setId, @salt, @createdAt)
     ON CONFLICT(user_id) DO UPDATE SET set_id = excluded.set_id, salt = excluded.salt, created_at = excluded.created_at`,
  );
  const insertCode = db.prepare('INSERT INTO recovery_codes (hash, user_id, set_id) VALUES (?, ?, ?)');
  const dropOthers = db.prepare('DELETE FROM recovery_codes WHERE user_id = ? AND set_id != ?');
  const use = db.prepare('DELETE FROM recovery_codes WHERE hash = ? AND user_id = ? AND set_id = ?');
  const count = db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND set_id = ?');

  const removeAll = db.transaction((userId: string): number => {
    const set = db.prepare('DELETE FROM recovery_sets WHERE user_id = ?').run(userId).changes;
    return set + db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId).changes;
  });
  // SQLite transactions make each set change all-or-nothing.
  const createIfAbsent = db.transaction((set: RecoverySetRecord, hashes: string[]) => {
    if (insertSet.run(set).changes !== 1) return false;
    for (const h of hashes) insertCode.run(h, set.userId, set.setId);
    return true;
  });
  const replace = db.transaction((set: RecoverySetRecord, hashes: string[]) => {
    upsertSet.run(set);
    dropOthers.run(set.userId, set.setId);
    for (const h of hashes) insertCode.run(h, set.userId, set.setId);
  });

  return {
    async findSet(userId) {
      const r = findSet.get(userId);
      return r ? { userId: r.user_id, setId: r.set_id, salt: r.salt, createdAt: r.created_at } : null;
    },
    async createSetIfAbsent(set, hashes) {
      return createIfAbsent(set, hashes);
    },
    async replaceSet(set, hashes) {
      replace(set, hashes);
    },
    async useCode(userId, setId, codeHash) {
      return use.run(codeHash, userId, setId).changes === 1;
    },
    async countCodes(userId, setId) {
      return count.get(userId, setId)?.n ?? 0;
    },
    async removeAllForUser(userId) {
      return removeAll(userId);
    },
  };
}
