// The zero-setup store: one SQLite file under DATA_DIR in WAL mode, so a confirmed factor
// survives a restart and a kill -9. Durability: with synchronous=FULL (the default) every
// commit is fsynced before anyone hears of it, so not even a power cut takes back a used
// recovery code or TOTP step. Writes are group-committed (groupCommit.ts), one fsync per
// event-loop turn rather than per write, which is what makes FULL affordable (the benchmark
// measured it at ~75% of NORMAL's throughput; without group commit it was ~40%).
// EMBEDDED_DURABILITY=normal skips the fsync: a killed process still loses nothing, a power
// cut or OS crash can drop the last moments of commits. Single process by design: running
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
import { OIDC_SCHEMA, createEmbeddedOidcStore } from './oidc.js';
import { createGroupCommit, withGroupCommit } from './groupCommit.js';

export interface EmbeddedStorageOptions {
  dataDir: string;
  /** Defaults to keyward.sqlite; ':memory:' is not accepted, the store must persist. */
  fileName?: string;
  /** 'full' (default: fsync every commit) or 'normal'; see the comment at the top. */
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
  db.pragma(`synchronous = ${opts.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  for (const schema of [SCHEMA, CHALLENGES_SCHEMA, CREDENTIALS_SCHEMA, AUDIT_SCHEMA, TOTP_SCHEMA, RECOVERY_SCHEMA, ATTEMPTS_SCHEMA, SIGNING_KEYS_SCHEMA, NOTICES_SCHEMA, OIDC_SCHEMA]) db.exec(schema);

  // Tables whose rows carry expires_at.
  const sweeps = ['sessions', 'challenges', 'totp_authenticators', 'attempts', 'oidc'].map((t) => db.prepare(`DELETE FROM ${t} WHERE expires_at <= ?`));
  const group = createGroupCommit(db);
  const batched = <S extends object>(store: S) => withGroupCommit(store, group);
  return {
    kind: 'embedded',
    file,
    users: batched(createEmbeddedUserStore(db)),
    attempts: batched(createEmbeddedAttemptStore(db)),
    notices: batched(createEmbeddedNoticeStore(db)),
    sessions: batched(createEmbeddedSessionStore(db)),
    challenges: batched(createEmbeddedChallengeStore(db)),
    credentials: batched(createEmbeddedCredentialStore(db)),
    audit: batched(createEmbeddedAuditStore(db)),
    totp: batched(createEmbeddedTotpStore(db)),
    recovery: batched(createEmbeddedRecoveryStore(db)),
    signingKeys: batched(createEmbeddedSigningKeyStore(db)),
    oidc: batched(createEmbeddedOidcStore(db)),
    async ping() {
      await group.read(() => db.prepare('SELECT 1').get());
    },
    async sweepExpired(now) {
      await group.write(() => {
        for (const s of sweeps) s.run(now);
      });
    },
    async close() {
      group.flush();
      if (db.open) db.close();
    },
  };
}
