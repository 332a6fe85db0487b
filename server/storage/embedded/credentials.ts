import type { Database } from 'better-sqlite3';
import type { AttestationProof, CredentialRecord, CredentialStore } from '../port.js';

export const CREDENTIALS_SCHEMA = `
CREATE TABLE IF NOT EXISTS credentials (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  public_key BLOB NOT NULL,
  counter INTEGER NOT NULL,
  transports TEXT NOT NULL,
  aaguid TEXT NOT NULL,
  device_type TEXT NOT NULL,
  backed_up INTEGER NOT NULL,
  flagged INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  attestation TEXT,
  model_revoked_by TEXT
);
CREATE INDEX IF NOT EXISTS credentials_by_user ON credentials(user_id, created_at);
`;

interface Row {
  id: string;
  user_id: string;
  name: string;
  public_key: Buffer;
  counter: number;
  transports: string;
  aaguid: string;
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: number;
  flagged: number;
  created_at: number;
  last_used_at: number | null;
  attestation: string | null;
  model_revoked_by: string | null;
}

function toRecord(r: Row): CredentialRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    publicKey: new Uint8Array(r.public_key),
    counter: r.counter,
    transports: JSON.parse(r.transports) as string[],
    aaguid: r.aaguid,
    deviceType: r.device_type,
    backedUp: r.backed_up === 1,
    flagged: r.flagged === 1,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    attestation: r.attestation ? (JSON.parse(r.attestation) as AttestationProof) : null,
    modelRevokedBy: r.model_revoked_by,
  };
}

export function createEmbeddedCredentialStore(db: Database): CredentialStore {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO credentials (id, user_id, name, public_key, counter, transports, aaguid, device_type, backed_up, flagged, created_at, last_used_at, attestation, model_revoked_by)
     VALUES (@id, @userId, @name, @publicKey, @counter, @transports, @aaguid, @deviceType, @backedUp, @flagged, @createdAt, @lastUsedAt, @attestation, @modelRevokedBy)`,
  );
  const byId = db.prepare<[string], Row>('SELECT * FROM credentials WHERE id = ?');
  const byUser = db.prepare<[string], Row>('SELECT * FROM credentials WHERE user_id = ? ORDER BY created_at, id');
  const count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM credentials WHERE user_id = ?');
  const rename = db.prepare<[string, string, string], Row>('UPDATE credentials SET name = ? WHERE id = ? AND user_id = ? RETURNING *');
  const remove = db.prepare('DELETE FROM credentials WHERE id = ? AND user_id = ?');
  const use = db.prepare(
    `UPDATE credentials SET counter = @newCounter, last_used_at = @at, backed_up = @backedUp
     WHERE id = @id AND ((@newCounter = 0 AND counter = 0) OR (@newCounter > 0 AND counter < @newCounter))`,
  );
  const flag = db.prepare('UPDATE credentials SET flagged = 1 WHERE id = ?');
  const removeAll = db.prepare('DELETE FROM credentials WHERE user_id = ?');
  const revoke = db.prepare<[string, string], Row>('UPDATE credentials SET model_revoked_by = ? WHERE aaguid = ? AND model_revoked_by IS NULL RETURNING *');

  return {
    async create(c) {
      const r = insert.run({
        ...c,
        publicKey: Buffer.from(c.publicKey),
        transports: JSON.stringify(c.transports),
        backedUp: c.backedUp ? 1 : 0,
        flagged: c.flagged ? 1 : 0,
        attestation: c.attestation ? JSON.stringify(c.attestation) : null,
      });
      return r.changes === 1;
    },
    async findById(id) {
      const r = byId.get(id);
      return r ? toRecord(r) : null;
    },
    async listByUser(userId) {
      return byUser.all(userId).map(toRecord);
    },
    async countByUser(userId) {
      return count.get(userId)?.n ?? 0;
    },
    async rename(userId, id, name) {
      const r = rename.get(name, id, userId);
      return r ? toRecord(r) : null;
    },
    async remove(userId, id) {
      return remove.run(id, userId).changes === 1;
    },
    async recordUse(id, u) {
      const r = use.run({ id, newCounter: u.newCounter, at: u.at, backedUp: u.backedUp ? 1 : 0 });
      if (r.changes === 1) return 'recorded';
      return byId.get(id) ? 'counter_regressed' : 'missing';
    },
    async removeAllForUser(userId) {
      return removeAll.run(userId).changes;
    },
    async flag(id) {
      flag.run(id);
    },
    async markModelRevoked(aaguid, status) {
      // One UPDATE under the write lock: a racing call finds the keys marked already.
      return revoke.all(status, aaguid.toLowerCase()).map(toRecord);
    },
  };
}
