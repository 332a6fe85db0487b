// Creates and migrates every table and index of the embedded store, once per schema. The
// file's user_version records a fingerprint of everything below, so a process that opens a
// file already prepared by this version of Keyward (a worker after the cluster primary, a
// restart, the CLI beside a running server) only reads one number and writes nothing.
// Preparing takes the write lock first (BEGIN IMMEDIATE) and looks again inside it: of
// several processes preparing one file at once, one does the work and the others find it
// done. A read-then-write transaction could not wait for the lock (SQLite answers
// SQLITE_BUSY at once rather than risk two processes waiting for each other).
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { USERS_LATE_INDEXES, USERS_SCHEMA } from './users.js';
import { SESSIONS_SCHEMA, prepareSessionsTable } from './sessions.js';
import { CHALLENGES_SCHEMA } from './challenges.js';
import { CREDENTIALS_SCHEMA } from './credentials.js';
import { AUDIT_SCHEMA } from './audit.js';
import { TOTP_SCHEMA } from './totp.js';
import { RECOVERY_SCHEMA } from './recovery.js';
import { ATTEMPTS_SCHEMA } from './attempts.js';
import { NOTICES_SCHEMA } from './notices.js';
import { SIGNING_KEYS_SCHEMA } from './signingKeys.js';
import { NOTICE_ADDRESSES_SCHEMA } from './noticeAddresses.js';
import { INVITATIONS_SCHEMA } from './invitations.js';
import { OIDC_LATE_INDEXES, OIDC_SCHEMA } from './oidc.js';
import { MDS_BLOBS_SCHEMA } from './mdsBlobs.js';
import { LOGOUT_QUEUE_SCHEMA } from './logoutQueue.js';
import { ADDED_COLUMNS, addMissingColumns } from './migrations.js';
import { switchToWal, type WalSwitchOptions } from './switchToWal.js';

const TABLES = [USERS_SCHEMA, CHALLENGES_SCHEMA, CREDENTIALS_SCHEMA, AUDIT_SCHEMA, TOTP_SCHEMA, RECOVERY_SCHEMA, ATTEMPTS_SCHEMA, SIGNING_KEYS_SCHEMA, NOTICES_SCHEMA, NOTICE_ADDRESSES_SCHEMA, INVITATIONS_SCHEMA, OIDC_SCHEMA, MDS_BLOBS_SCHEMA, LOGOUT_QUEUE_SCHEMA];
// After addMissingColumns: they index columns an older file gets only there.
const LATE_INDEXES = [USERS_LATE_INDEXES, OIDC_LATE_INDEXES];

// A migration that is code rather than SQL text (prepareSessionsTable's drop of a pre-session-
// control table) is named here: changing what it does means changing this line too, so files
// prepared by the earlier code are prepared again.
const CODE_STEPS = 'sessions: drop a table without public_id';

/** A positive 31-bit number that changes whenever the preparation below changes. */
export const SCHEMA_FINGERPRINT =
  (createHash('sha256')
    .update(JSON.stringify([SESSIONS_SCHEMA, TABLES, ADDED_COLUMNS, LATE_INDEXES, CODE_STEPS]))
    .digest()
    .readUInt32BE(0) & 0x7fffffff) || 1;

const isCurrent = (db: Database) => db.pragma('user_version', { simple: true }) === SCHEMA_FINGERPRINT;

/** Returns whether it changed the file (false: already prepared by this schema). */
export function prepareEmbeddedSchema(db: Database, wal: WalSwitchOptions): boolean {
  if (isCurrent(db)) return false;
  switchToWal(db, wal);
  let changed = false;
  db.transaction(() => {
    if (isCurrent(db)) return; // another process prepared it while this one waited for the lock
    prepareSessionsTable(db);
    for (const ddl of TABLES) db.exec(ddl);
    addMissingColumns(db);
    for (const ddl of LATE_INDEXES) db.exec(ddl);
    db.pragma(`user_version = ${SCHEMA_FINGERPRINT}`);
    changed = true;
  }).immediate();
  return changed;
}
