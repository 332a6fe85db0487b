// Token signing keys, one row per rotation slot; INSERT OR IGNORE on the slot's primary key
// lets exactly one creator win.
import type { Database } from 'better-sqlite3';
import type { SigningKeyRecord, SigningKeyStore } from '../port.js';

export const SIGNING_KEYS_SCHEMA = `
CREATE TABLE IF NOT EXISTS signing_keys (
  slot INTEGER PRIMARY KEY,
  kid TEXT NOT NULL UNIQUE,
  public_jwk TEXT NOT NULL,
  key_id TEXT NOT NULL,
  sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  active_from INTEGER NOT NULL
);
`;

interface Row {
  slot: number;
  kid: string;
  public_jwk: string;
  key_id: string;
  sealed: string;
  created_at: number;
  active_from: number;
}

const toRecord = (r: Row): SigningKeyRecord => ({
  slot: r.slot,
  kid: r.kid,
  publicJwk: JSON.parse(r.public_jwk) as Record<string, string>,
  privateJwk: { keyId: r.key_id, sealed: r.sealed },
  createdAt: r.created_at,
  activeFrom: r.active_from,
});

export function createEmbeddedSigningKeyStore(db: Database): SigningKeyStore {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO signing_keys (slot, kid, public_jwk, key_id, sealed, created_at, active_from) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const all = db.prepare<[], Row>('SELECT * FROM signing_keys ORDER BY slot');
  const removeBefore = db.prepare('DELETE FROM signing_keys WHERE slot < ?');
  const replaceSealed = db.prepare('UPDATE signing_keys SET key_id = ?, sealed = ? WHERE slot = ? AND key_id = ? AND sealed = ?');
  return {
    async create(k) {
      const r = insert.run(k.slot, k.kid, JSON.stringify(k.publicJwk), k.privateJwk.keyId, k.privateJwk.sealed, k.createdAt, k.activeFrom);
      return r.changes === 1;
    },
    async list() {
      return all.all().map(toRecord);
    },
    async removeBefore(slot) {
      return removeBefore.run(slot).changes;
    },
    async replaceSealed(slot, expected, next) {
      return replaceSealed.run(next.keyId, next.sealed, slot, expected.keyId, expected.sealed).changes === 1;
    },
  };
}
