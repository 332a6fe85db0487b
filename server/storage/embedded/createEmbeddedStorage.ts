// The zero-setup store: one SQLite file under DATA_DIR in WAL mode, so a confirmed factor
// survives a restart and a kill -9. Durability: with synchronous=FULL (the default) every
// commit is fsynced before anyone hears of it, so not even a power cut takes back a used
// recovery code or TOTP step. Writes are group-committed (groupCommit.ts), one fsync per
// event-loop turn rather than per write, which is what makes FULL affordable (the benchmark
// measured it at ~75% of NORMAL's throughput; without group commit it was ~40%).
// EMBEDDED_DURABILITY=normal skips the fsync: a killed process still loses nothing, a power
// cut or OS crash can drop the last moments of commits. One machine: the WORKERS processes
// of one Keyward share the file (WAL lets them read at once; write batches take turns through
// BEGIN IMMEDIATE and busy_timeout); instances on several machines need MongoDB. SQLite
// statements are atomic, and each conditional UPDATE/DELETE runs in a transaction holding
// the write lock, so it is one atomic step across processes too.
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '../port.js';
import { createEmbeddedUserStore, migrateUsers } from './users.js';
import { createEmbeddedSessionStore, prepareSessionsTable } from './sessions.js';
import { CHALLENGES_SCHEMA, createEmbeddedChallengeStore } from './challenges.js';
import { CREDENTIALS_SCHEMA, createEmbeddedCredentialStore } from './credentials.js';
import { AUDIT_SCHEMA, createEmbeddedAuditStore } from './audit.js';
import { TOTP_SCHEMA, createEmbeddedTotpStore } from './totp.js';
import { RECOVERY_SCHEMA, createEmbeddedRecoveryStore } from './recovery.js';
import { ATTEMPTS_SCHEMA, createEmbeddedAttemptStore } from './attempts.js';
import { NOTICES_SCHEMA, createEmbeddedNoticeStore } from './notices.js';
import { SIGNING_KEYS_SCHEMA, createEmbeddedSigningKeyStore } from './signingKeys.js';
import { NOTICE_ADDRESSES_SCHEMA, createEmbeddedNoticeAddressStore } from './noticeAddresses.js';
import { INVITATIONS_SCHEMA, createEmbeddedInvitationStore } from './invitations.js';
import { addMissingColumns } from './migrations.js';
import { OIDC_LATE_INDEXES, OIDC_SCHEMA, createEmbeddedOidcStore } from './oidc.js';
import { MDS_BLOBS_SCHEMA, createEmbeddedMdsBlobStore } from './mdsBlobs.js';
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
  groups TEXT NOT NULL DEFAULT '[]',
  email TEXT,
  created_at INTEGER NOT NULL,
  username_skeleton TEXT
);
`;

export function createEmbeddedStorage(opts: EmbeddedStorageOptions): Storage & { file: string } {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = join(opts.dataDir, opts.fileName ?? 'keyward.sqlite');
  // Password hashes and sealed secrets: readable by the owner alone, like dev-secrets.json.
  // SQLite gives its -wal and -shm files the database file's permissions.
  closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  prepareSessionsTable(db);
  for (const schema of [SCHEMA, CHALLENGES_SCHEMA, CREDENTIALS_SCHEMA, AUDIT_SCHEMA, TOTP_SCHEMA, RECOVERY_SCHEMA, ATTEMPTS_SCHEMA, SIGNING_KEYS_SCHEMA, NOTICES_SCHEMA, NOTICE_ADDRESSES_SCHEMA, INVITATIONS_SCHEMA, OIDC_SCHEMA, MDS_BLOBS_SCHEMA]) db.exec(schema);
  addMissingColumns(db);
  db.exec(OIDC_LATE_INDEXES);
  migrateUsers(db);

  // Tables whose rows carry expires_at.
  const sweeps = ['sessions', 'challenges', 'totp_authenticators', 'attempt_buckets', 'pending_addresses', 'invitations', 'oidc'].map((t) => db.prepare(`DELETE FROM ${t} WHERE expires_at <= ?`));
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
    noticeAddresses: batched(createEmbeddedNoticeAddressStore(db)),
    invitations: batched(createEmbeddedInvitationStore(db)),
    oidc: batched(createEmbeddedOidcStore(db)),
    mdsBlobs: batched(createEmbeddedMdsBlobStore(db)),
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
