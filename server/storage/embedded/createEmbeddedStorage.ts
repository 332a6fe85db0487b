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
import { createEmbeddedUserStore } from './users.js';
import { createEmbeddedSessionStore } from './sessions.js';
import { createEmbeddedChallengeStore } from './challenges.js';
import { createEmbeddedCredentialStore } from './credentials.js';
import { createEmbeddedAuditStore } from './audit.js';
import { createEmbeddedTotpStore } from './totp.js';
import { createEmbeddedRecoveryStore } from './recovery.js';
import { createEmbeddedAttemptStore } from './attempts.js';
import { createEmbeddedNoticeStore } from './notices.js';
import { createEmbeddedSigningKeyStore } from './signingKeys.js';
import { createEmbeddedNoticeAddressStore } from './noticeAddresses.js';
import { createEmbeddedInvitationStore } from './invitations.js';
import { createEmbeddedOidcStore } from './oidc.js';
import { createEmbeddedMdsBlobStore } from './mdsBlobs.js';
import { createEmbeddedLogoutQueueStore } from './logoutQueue.js';
import { createGroupCommit, withGroupCommit } from './groupCommit.js';
import { cacheSessionReads } from './sessionReadCache.js';
import { createCommitWatch } from './commitWatch.js';
import { prepareEmbeddedSchema } from './prepareEmbeddedSchema.js';
import { pauseThread } from './switchToWal.js';
import { embeddedOpenError } from './openFailure.js';

export interface EmbeddedStorageOptions {
  dataDir: string;
  /** Defaults to keyward.sqlite; ':memory:' is not accepted, the store must persist. */
  fileName?: string;
  /** 'full' (default: fsync every commit) or 'normal'; see the comment at the top. */
  durability?: 'normal' | 'full';
  /** How a retry waits (switchToWal.ts); tests count the pauses. */
  pause?: (ms: number) => void;
}

/**
 * Opens the file, creating and migrating its tables first unless this schema already did
 * (prepareEmbeddedSchema.ts): the cluster primary prepares it before forking, so the workers
 * only open it. Any failure names the file, the code and what to do (openFailure.ts).
 */
export function createEmbeddedStorage(opts: EmbeddedStorageOptions): Storage & { file: string } {
  const file = join(opts.dataDir, opts.fileName ?? 'keyward.sqlite');
  let db: Database.Database | undefined;
  try {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    // Password hashes and sealed secrets: readable by the owner alone, like dev-secrets.json.
    // SQLite gives its -wal and -shm files the database file's permissions.
    closeSync(openSync(file, 'a', 0o600));
    // busy_timeout before anything touches the file: waiting for another process's lock
    // (within 5 s) is the normal case when several share it.
    db = new Database(file, { timeout: 5000 });
    db.pragma(`synchronous = ${opts.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    prepareEmbeddedSchema(db, { pause: opts.pause ?? pauseThread });
    return openedStorage(db, file);
  } catch (err) {
    if (db?.open) db.close();
    throw embeddedOpenError(file, err);
  }
}

function openedStorage(db: Database.Database, file: string): Storage & { file: string } {
  // Tables whose rows carry expires_at.
  const sweeps = ['sessions', 'challenges', 'totp_authenticators', 'attempt_buckets', 'pending_addresses', 'invitations', 'oidc', 'logout_queue'].map((t) => db.prepare(`DELETE FROM ${t} WHERE expires_at <= ?`));
  const group = createGroupCommit(db);
  const commits = createCommitWatch(db, file);
  const batched = <S extends object>(store: S) => withGroupCommit(store, group);
  return {
    kind: 'embedded',
    file,
    users: batched(createEmbeddedUserStore(db)),
    attempts: batched(createEmbeddedAttemptStore(db)),
    notices: batched(createEmbeddedNoticeStore(db)),
    sessions: cacheSessionReads(batched(createEmbeddedSessionStore(db)), { db, commits, ownWrites: group.writes }),
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
    logoutQueue: batched(createEmbeddedLogoutQueueStore(db)),
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
      commits.close();
      if (db.open) db.close();
    },
  };
}
