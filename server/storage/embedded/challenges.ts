import type { Database } from 'better-sqlite3';
import type { CeremonyPurpose, ChallengeStore } from '../port.js';

export const CHALLENGES_SCHEMA = `
CREATE TABLE IF NOT EXISTS challenges (
  challenge TEXT PRIMARY KEY,
  binding TEXT NOT NULL,
  purpose TEXT NOT NULL,
  user_id TEXT,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS challenges_expiry ON challenges(expires_at);
`;

interface Row {
  challenge: string;
  binding: string;
  purpose: CeremonyPurpose;
  user_id: string | null;
  expires_at: number;
}

export function createEmbeddedChallengeStore(db: Database): ChallengeStore {
  const insert = db.prepare('INSERT INTO challenges (challenge, binding, purpose, user_id, expires_at) VALUES (?, ?, ?, ?, ?)');
  // DELETE ... RETURNING is one statement: the row goes to exactly one caller.
  const take = db.prepare<[string, string, string], Row>(
    'DELETE FROM challenges WHERE challenge = ? AND binding = ? AND purpose = ? RETURNING *',
  );
  return {
    async save(c) {
      insert.run(c.challenge, c.binding, c.purpose, c.userId, c.expiresAt);
    },
    async consume(challenge, binding, purpose) {
      const r = take.get(challenge, binding, purpose);
      return r ? { challenge: r.challenge, binding: r.binding, purpose: r.purpose, userId: r.user_id, expiresAt: r.expires_at } : null;
    },
  };
}
