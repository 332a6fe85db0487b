// Every index of the MongoDB store, created once before serving: by the cluster primary
// before it forks the workers (which then only read whether TTL indexes exist), or by a
// single process, the CLI and tests as they open the database. createIndex is idempotent.
import type { Db } from 'mongodb';
import { createUserIndexes } from './users.js';
import { createSessionIndexes, sessionsCollection } from './sessions.js';
import { challengesCollection, createChallengeIndexes } from './challenges.js';
import { createCredentialIndexes } from './credentials.js';
import { claimsCollection, createClaimIndexes } from './claims.js';
import { attemptsCollection, createAttemptIndexes } from './attempts.js';
import { createNoticeIndexes } from './notices.js';
import { createAuditIndexes } from './audit.js';
import { createTotpIndexes, totpCollection } from './totp.js';
import { createRecoveryIndexes } from './recovery.js';
import { createSigningKeyIndexes } from './signingKeys.js';
import { createNoticeAddressIndexes, pendingAddressesCollection } from './noticeAddresses.js';
import { createInvitationIndexes, invitationsCollection } from './invitations.js';
import { createOidcIndexes, oidcCollection } from './oidc.js';
import { createLogoutQueueIndexes, logoutQueueCollection } from './logoutQueue.js';
import { hasTtlIndex } from './ttl.js';

/** Collections whose documents carry expiresAt (swept when the server has no TTL indexes). */
export function expiringCollections(db: Db) {
  return [sessionsCollection(db), challengesCollection(db), totpCollection(db), claimsCollection(db), attemptsCollection(db), pendingAddressesCollection(db), invitationsCollection(db), oidcCollection(db), logoutQueueCollection(db)];
}

/** Creates them all; answers whether the server expires documents itself (TTL indexes). */
export async function createMongoIndexes(db: Db): Promise<boolean> {
  await createUserIndexes(db);
  await createCredentialIndexes(db);
  await createAuditIndexes(db);
  await createNoticeIndexes(db);
  await createRecoveryIndexes(db);
  await createSigningKeyIndexes(db);
  // Every expiring collection gets its index (no short-circuit): with no TTL support,
  // the same index serves the sweeper's queries.
  const ttl = [
    await createSessionIndexes(db),
    await createChallengeIndexes(db),
    await createTotpIndexes(db),
    await createClaimIndexes(db),
    await createAttemptIndexes(db),
    await createNoticeAddressIndexes(db),
    await createInvitationIndexes(db),
    await createOidcIndexes(db),
    await createLogoutQueueIndexes(db),
  ];
  return ttl.every(Boolean);
}

/**
 * For a process opening a database prepared by another (a cluster worker): whether every
 * expiring collection has its TTL index, read, not created. A missing one answers false,
 * so this process sweeps (queries check expiry themselves either way).
 */
export async function readTtlSupport(db: Db): Promise<boolean> {
  for (const c of expiringCollections(db)) if (!(await hasTtlIndex(c))) return false;
  return true;
}
