// What oidc-provider stores, one table keyed by (kind, id). consume() is one conditional
// UPDATE: SQLite decides it atomically, so a code is redeemed once.
import type { Database } from 'better-sqlite3';
import type { OidcRecord, OidcStore, RevokedGrant } from '../port.js';
import { revokedGrants } from '../revokedGrants.js';

export const OIDC_SCHEMA = `
CREATE TABLE IF NOT EXISTS oidc (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  payload TEXT NOT NULL,
  grant_id TEXT,
  uid TEXT,
  user_code TEXT,
  consumed_at INTEGER,
  expires_at INTEGER,
  keyward_session TEXT,
  PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS oidc_by_grant ON oidc(grant_id);
CREATE INDEX IF NOT EXISTS oidc_by_uid ON oidc(kind, uid);
CREATE INDEX IF NOT EXISTS oidc_expiry ON oidc(expires_at);
`;

/** After migrations.ts has added keyward_session to a table made before it existed. */
export const OIDC_LATE_INDEXES = 'CREATE INDEX IF NOT EXISTS oidc_by_keyward_session ON oidc(keyward_session) WHERE keyward_session IS NOT NULL;';

interface Row {
  kind: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  consumed_at: number | null;
  expires_at: number | null;
  keyward_session: string | null;
}

const toRecord = (r: Row): OidcRecord => ({
  kind: r.kind,
  id: r.id,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  grantId: r.grant_id,
  uid: r.uid,
  userCode: r.user_code,
  consumedAt: r.consumed_at,
  expiresAt: r.expires_at,
  keywardSession: r.keyward_session,
});

const LIVE = '(expires_at IS NULL OR expires_at > ?)';

export function createEmbeddedOidcStore(db: Database): OidcStore {
  const upsert = db.prepare(
    `INSERT INTO oidc (kind, id, payload, grant_id, uid, user_code, consumed_at, expires_at, keyward_session) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)
     ON CONFLICT (kind, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
       user_code = excluded.user_code, expires_at = excluded.expires_at,
       keyward_session = COALESCE(excluded.keyward_session, oidc.keyward_session)`,
  );
  const byId = db.prepare<[string, string, number], Row>(`SELECT * FROM oidc WHERE kind = ? AND id = ? AND ${LIVE}`);
  const byUid = db.prepare<[string, string, number], Row>(`SELECT * FROM oidc WHERE kind = ? AND uid = ? AND ${LIVE} LIMIT 1`);
  const byUserCode = db.prepare<[string, string, number], Row>(`SELECT * FROM oidc WHERE kind = ? AND user_code = ? AND ${LIVE} LIMIT 1`);
  const consume = db.prepare(`UPDATE oidc SET consumed_at = ? WHERE kind = ? AND id = ? AND consumed_at IS NULL AND ${LIVE}`);
  const destroy = db.prepare('DELETE FROM oidc WHERE kind = ? AND id = ?');
  const revokeAll = db.prepare('DELETE FROM oidc WHERE grant_id = ?');
  const revokeKind = db.prepare('DELETE FROM oidc WHERE grant_id = ? AND kind = ?');
  const listKind = db.prepare<[string], Row>('SELECT * FROM oidc WHERE kind = ? ORDER BY id');
  const listTagged = db.prepare<[string], Row>('SELECT * FROM oidc WHERE keyward_session IS NOT NULL AND kind = ?');
  // One transaction: nothing of those grants can be written between the look-up and the delete.
  const revokeSessions = db.transaction((handles: string[]): RevokedGrant[] => {
    const marks = handles.map(() => '?').join(', ');
    const tagged = db
      .prepare<string[], Pick<Row, 'kind' | 'grant_id' | 'payload' | 'keyward_session'>>(
        `SELECT kind, grant_id, payload, keyward_session FROM oidc WHERE keyward_session IN (${marks}) AND grant_id IS NOT NULL`,
      )
      .all(...handles);
    db.prepare(`DELETE FROM oidc WHERE keyward_session IN (${marks})`).run(...handles);
    const revoke = db.prepare('DELETE FROM oidc WHERE grant_id = ?');
    const grants = revokedGrants(tagged.map((r) => ({ kind: r.kind, grantId: r.grant_id!, payload: r.payload, keywardSession: r.keyward_session })));
    for (const g of grants) revoke.run(g.grantId);
    return grants;
  });
  const releaseSessions = db.transaction((handles: string[]): RevokedGrant[] => {
    const marks = handles.map(() => '?').join(', ');
    const grants = db
      .prepare<string[], Pick<Row, 'grant_id' | 'payload' | 'keyward_session'>>(`SELECT grant_id, payload, keyward_session FROM oidc WHERE kind = 'Grant' AND keyward_session IN (${marks})`)
      .all(...handles);
    db.prepare(`UPDATE oidc SET keyward_session = NULL WHERE keyward_session IN (${marks})`).run(...handles);
    return revokedGrants(grants.map((r) => ({ kind: 'Grant', grantId: r.grant_id!, payload: r.payload, keywardSession: r.keyward_session })));
  });
  return {
    async upsert(r) {
      upsert.run(r.kind, r.id, JSON.stringify(r.payload), r.grantId, r.uid, r.userCode, r.expiresAt, r.keywardSession ?? null);
    },
    async find(kind, id, now) {
      const r = byId.get(kind, id, now);
      return r ? toRecord(r) : null;
    },
    async findByUid(kind, uid, now) {
      const r = byUid.get(kind, uid, now);
      return r ? toRecord(r) : null;
    },
    async findByUserCode(kind, userCode, now) {
      const r = byUserCode.get(kind, userCode, now);
      return r ? toRecord(r) : null;
    },
    async consume(kind, id, at) {
      return consume.run(at, kind, id, at).changes === 1;
    },
    async destroy(kind, id) {
      destroy.run(kind, id);
    },
    async revokeByGrantId(kind, grantId) {
      return (kind === null ? revokeAll.run(grantId) : revokeKind.run(grantId, kind)).changes;
    },
    async listKind(kind) {
      return listKind.all(kind).map(toRecord);
    },
    async listTagged(kind) {
      return listTagged.all(kind).map(toRecord);
    },
    async revokeByKeywardSession(handles) {
      return handles.length ? revokeSessions(handles) : [];
    },
    async releaseKeywardSessions(handles) {
      return handles.length ? releaseSessions(handles) : [];
    },
  };
}
