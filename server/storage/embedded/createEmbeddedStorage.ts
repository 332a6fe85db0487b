// The zero-setup store: one SQLite file under DATA_DIR in WAL mode, so a confirmed factor
// survives a restart and a kill -9. Durability: with synchronous=NORMAL (the default) a
// commit is in the WAL, in the OS, before the statement returns — a killed process loses
// nothing and nothing is ever corrupted; only a power cut or OS crash can drop the last
// moments of commits. synchronous=FULL also fsyncs every commit, which the benchmark
// measured at several times slower (every sign-in writes 4-7 times); pick it with
// EMBEDDED_DURABILITY=full where that trade is wanted. Single process by design: running
// several instances needs MongoDB. SQLite statements are atomic, and better-sqlite3 runs
// them synchronously on one thread, so each conditional UPDATE/DELETE is one atomic step.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '../port.js';
import { createEmbeddedUserStore } from './users.js';
import { createEmbeddedSessionStore } from './sessions.js';
import { CHALLENGES_SCHEMA, createEmbeddedChallengeStore } from './challenges.js';
import { CREDENTIALS_SCHEMA, createEmbeddedCredentialStore } from './credentials.js';
import { AUDIT_SCHEMA, createEmbeddedAuditStore } from './audit.js';
import { TOTP_SCHEMA, createEmbeddedTotpStore } from './totp.js';
import { RECOVERY_SCHEMA, createEmbeddedRecoveryStore } from './recovery.js';
import { ATTEMPTS_SCHEMA, createEmbeddedAttemptStore } from './attempts.js';
import { NOTICES_SCHEMA, createEmbeddedNoticeStore } from './notices.js';
import { SIGNING_KEYS_SCHEMA, createEmbeddedSigningKeyStore } from './signingKeys.js';

export interface EmbeddedStorageOptions {
  dataDir: string;
  /** Defaults to keyward.sqlite; ':memory:' is not accepted, the store must persist. */
  fileName?: string;
  /** 'normal' (default) or 'full' (fsync every commit); see the comment at the top. */
  durability?: 'normal' | 'full';
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  username_normalized TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT,
  data TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_id);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
`;

export function createEmbeddedStorage(opts: EmbeddedStorageOptions): Storage & { file: string } {
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, opts.fileName ?? 'keyward.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  for (const schema of [SCHEMA, CHALLENGES_SCHEMA, CREDENTIALS_SCHEMA, AUDIT_SCHEMA, TOTP_SCHEMA, RECOVERY_SCHEMA, ATTEMPTS_SCHEMA, SIGNING_KEYS_SCHEMA, NOTICES_SCHEMA]) db.exec(schema);

  // Tables whose rows carry expires_at.
  const sweeps = ['sessions', 'challenges', 'totp_authenticators', 'attempts'].map((t) => db.prepare(`DELETE FROM ${t} WHERE expires_at <= ?`));
  return {
    kind: 'embedded',
    file,
    users: createEmbeddedUserStore(db),
    attempts: createEmbeddedAttemptStore(db),
    notices: createEmbeddedNoticeStore(db),
    sessions: createEmbeddedSessionStore(db),
    challenges: createEmbeddedChallengeStore(db),
    credentials: createEmbeddedCredentialStore(db),
    audit: createEmbeddedAuditStore(db),
    totp: createEmbeddedTotpStore(db),
    recovery: createEmbeddedRecoveryStore(db),
    signingKeys: createEmbeddedSigningKeyStore(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async sweepExpired(now) {
      for (const s of sweeps) s.run(now);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
