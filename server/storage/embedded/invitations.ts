import type { Database } from 'better-sqlite3';
import type { InvitationKind, InvitationRecord, InvitationStore } from '../port.js';

export const INVITATIONS_SCHEMA = `
CREATE TABLE IF NOT EXISTS invitations (
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  email TEXT,
  groups TEXT NOT NULL,
  user_id TEXT,
  created_by TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS invitations_expiry ON invitations(expires_at);
`;

interface InvitationRow {
  token_hash: string;
  kind: InvitationKind;
  email: string | null;
  groups: string;
  user_id: string | null;
  created_by: string | null;
  created_at: number;
  expires_at: number;
}

const toRecord = (r: InvitationRow): InvitationRecord => ({
  tokenHash: r.token_hash,
  kind: r.kind,
  email: r.email,
  groups: JSON.parse(r.groups) as string[],
  userId: r.user_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export function createEmbeddedInvitationStore(db: Database): InvitationStore {
  const insert = db.prepare(
    `INSERT INTO invitations (token_hash, kind, email, groups, user_id, created_by, created_at, expires_at)
     VALUES (@tokenHash, @kind, @email, @groups, @userId, @createdBy, @createdAt, @expiresAt)`,
  );
  const find = db.prepare<[string, string, number], InvitationRow>('SELECT * FROM invitations WHERE token_hash = ? AND kind = ? AND expires_at > ?');
  // DELETE ... RETURNING: the check and the removal are one statement.
  const consume = db.prepare<[string, string, number], InvitationRow>('DELETE FROM invitations WHERE token_hash = ? AND kind = ? AND expires_at > ? RETURNING *');

  const removeForUser = db.prepare<[string, string]>('DELETE FROM invitations WHERE user_id = ? AND kind = ?');

  return {
    async create(r) {
      insert.run({ ...r, groups: JSON.stringify(r.groups) });
    },
    async find(tokenHash, kind, now) {
      const r = find.get(tokenHash, kind, now);
      return r ? toRecord(r) : null;
    },
    async consume(tokenHash, kind, now) {
      const r = consume.get(tokenHash, kind, now);
      return r ? toRecord(r) : null;
    },
    async removeForUser(userId, kind) {
      return removeForUser.run(userId, kind).changes;
    },
  };
}
