// Token signing keys, one row per rotation slot and algorithm; INSERT OR IGNORE on the slot's
// primary key lets exactly one creator win. ES256 keys keep the table they always had (a ring
// made before RS256 existed is read as it is); RS256 keys have a table of the same shape.
import type { Database } from 'better-sqlite3';
import type { SigningAlg, SigningKeyRecord, SigningKeyStore } from '../port.js';

const TABLES: Record<SigningAlg, string> = { ES256: 'signing_keys', RS256: 'signing_keys_rs256' };

const tableSchema = (table: string) => `
CREATE TABLE IF NOT EXISTS ${table} (
  slot INTEGER PRIMARY KEY,
  kid TEXT NOT NULL UNIQUE,
  public_jwk TEXT NOT NULL,
  key_id TEXT NOT NULL,
  sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  active_from INTEGER NOT NULL
);
`;

export const SIGNING_KEYS_SCHEMA = Object.values(TABLES).map(tableSchema).join('');

interface Row {
  slot: number;
  kid: string;
  public_jwk: string;
  key_id: string;
  sealed: string;
  created_at: number;
  active_from: number;
}

const toRecord = (alg: SigningAlg, r: Row): SigningKeyRecord => ({
  alg,
  slot: r.slot,
  kid: r.kid,
  publicJwk: JSON.parse(r.public_jwk) as Record<string, string>,
  privateJwk: { keyId: r.key_id, sealed: r.sealed },
  createdAt: r.created_at,
  activeFrom: r.active_from,
});

function statements(db: Database, table: string) {
  return {
    insert: db.prepare(`INSERT OR IGNORE INTO ${table} (slot, kid, public_jwk, key_id, sealed, created_at, active_from) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    all: db.prepare<[], Row>(`SELECT * FROM ${table} ORDER BY slot`),
    removeBefore: db.prepare(`DELETE FROM ${table} WHERE slot < ?`),
    replaceSealed: db.prepare(`UPDATE ${table} SET key_id = ?, sealed = ? WHERE slot = ? AND key_id = ? AND sealed = ?`),
  };
}

export function createEmbeddedSigningKeyStore(db: Database): SigningKeyStore {
  const byAlg = { ES256: statements(db, TABLES.ES256), RS256: statements(db, TABLES.RS256) };
  return {
    async create(k) {
      const r = byAlg[k.alg].insert.run(k.slot, k.kid, JSON.stringify(k.publicJwk), k.privateJwk.keyId, k.privateJwk.sealed, k.createdAt, k.activeFrom);
      return r.changes === 1;
    },
    async list() {
      const keys = (['ES256', 'RS256'] as const).flatMap((alg) => byAlg[alg].all.all().map((r) => toRecord(alg, r)));
      // Stable: within a slot, ES256 (listed first) stays first.
      return keys.sort((a, b) => a.slot - b.slot);
    },
    async removeBefore(alg, slot) {
      return byAlg[alg].removeBefore.run(slot).changes;
    },
    async replaceSealed(key, expected, next) {
      return byAlg[key.alg].replaceSealed.run(next.keyId, next.sealed, key.slot, expected.keyId, expected.sealed).changes === 1;
    },
  };
}
