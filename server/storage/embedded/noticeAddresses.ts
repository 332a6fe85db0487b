import type { Database } from 'better-sqlite3';
import type { NoticeAddressRecord, NoticeAddressStore, PendingAddressRecord } from '../port.js';

export const NOTICE_ADDRESSES_SCHEMA = `
CREATE TABLE IF NOT EXISTS notice_addresses (
  user_id TEXT PRIMARY KEY,
  address TEXT NOT NULL,
  confirmed_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_addresses (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  address TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_addresses_by_user ON pending_addresses(user_id);
CREATE INDEX IF NOT EXISTS pending_addresses_expiry ON pending_addresses(expires_at);
`;

interface PendingRow {
  token_hash: string;
  user_id: string;
  address: string;
  created_at: number;
  expires_at: number;
}

const toPending = (r: PendingRow): PendingAddressRecord => ({
  tokenHash: r.token_hash,
  userId: r.user_id,
  address: r.address,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export function createEmbeddedNoticeAddressStore(db: Database): NoticeAddressStore {
  const dropPending = db.prepare('DELETE FROM pending_addresses WHERE user_id = ?');
  const insertPending = db.prepare(
    'INSERT INTO pending_addresses (token_hash, user_id, address, created_at, expires_at) VALUES (@tokenHash, @userId, @address, @createdAt, @expiresAt)',
  );
  const replacePending = db.transaction((p: PendingAddressRecord) => {
    dropPending.run(p.userId);
    insertPending.run(p);
  });
  const pendingOf = db.prepare<[string, number], PendingRow>(
    'SELECT * FROM pending_addresses WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC LIMIT 1',
  );
  const consume = db.prepare<[string], PendingRow>('DELETE FROM pending_addresses WHERE token_hash = ? RETURNING *');
  const upsert = db.prepare(
    `INSERT INTO notice_addresses (user_id, address, confirmed_at) VALUES (@userId, @address, @confirmedAt)
     ON CONFLICT (user_id) DO UPDATE SET address = excluded.address, confirmed_at = excluded.confirmed_at`,
  );
  const confirmedOf = db.prepare<[string], { user_id: string; address: string; confirmed_at: number }>('SELECT * FROM notice_addresses WHERE user_id = ?');
  // Without regard to case (ASCII, as the addresses the API accepts): a scan of a small table, asked when an account is made.
  const confirmedByAddress = db.prepare<[string], { user_id: string; address: string; confirmed_at: number }>('SELECT * FROM notice_addresses WHERE lower(address) = lower(?) LIMIT 1');
  const dropConfirmed = db.prepare('DELETE FROM notice_addresses WHERE user_id = ?');
  const removeAll = db.transaction((userId: string) => dropPending.run(userId).changes + dropConfirmed.run(userId).changes);

  return {
    async savePending(p) {
      replacePending(p);
    },
    async findPending(userId, now) {
      const r = pendingOf.get(userId, now);
      return r ? toPending(r) : null;
    },
    async consumePending(tokenHash) {
      const r = consume.get(tokenHash);
      return r ? toPending(r) : null;
    },
    async setConfirmed(r: NoticeAddressRecord) {
      upsert.run(r);
    },
    async findConfirmed(userId) {
      const r = confirmedOf.get(userId);
      return r ? { userId: r.user_id, address: r.address, confirmedAt: r.confirmed_at } : null;
    },
    async findConfirmedByAddress(address) {
      const r = confirmedByAddress.get(address);
      return r ? { userId: r.user_id, address: r.address, confirmedAt: r.confirmed_at } : null;
    },
    async removeForUser(userId) {
      return removeAll(userId);
    },
  };
}
