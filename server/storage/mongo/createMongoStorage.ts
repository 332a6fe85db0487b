import { MongoClient } from 'mongodb';
import type { Storage } from '../port.js';
import { guard, guarded } from './guard.js';
import { createMongoUserStore, createUserIndexes } from './users.js';
import { createMongoSessionStore, createSessionIndexes, sessionsCollection } from './sessions.js';
import { challengesCollection, createChallengeIndexes, createMongoChallengeStore } from './challenges.js';
import { createCredentialIndexes, createMongoCredentialStore } from './credentials.js';
import { claimsCollection, createClaimIndexes, createClaimOnce } from './claims.js';
import { attemptsCollection, createAttemptIndexes, createMongoAttemptStore } from './attempts.js';
import { createMongoNoticeStore, createNoticeIndexes } from './notices.js';
import { createAuditIndexes, createMongoAuditStore } from './audit.js';
import { createMongoTotpStore, createTotpIndexes, totpCollection } from './totp.js';
import { createMongoRecoveryStore, createRecoveryIndexes } from './recovery.js';
import { createMongoSigningKeyStore, createSigningKeyIndexes } from './signingKeys.js';
import { createMongoNoticeAddressStore, createNoticeAddressIndexes, pendingAddressesCollection } from './noticeAddresses.js';
import { createInvitationIndexes, createMongoInvitationStore, invitationsCollection } from './invitations.js';
import { createMongoOidcStore, createOidcIndexes, oidcCollection } from './oidc.js';
import { createMongoMdsBlobStore } from './mdsBlobs.js';

export interface MongoStorageOptions {
  uri: string;
  /** Database name; defaults to the one in the URI, else "keyward". */
  dbName?: string | undefined;
  /** How long an operation may wait for a reachable server before answering 'unavailable'. */
  timeoutMs: number;
}

/** Connects, creates indexes, and returns the MongoDB adapter of the storage port. */
export async function createMongoStorage(opts: MongoStorageOptions): Promise<Storage & { ttlSupported: boolean }> {
  const client = new MongoClient(opts.uri, {
    serverSelectionTimeoutMS: opts.timeoutMs,
    connectTimeoutMS: opts.timeoutMs,
    socketTimeoutMS: opts.timeoutMs * 5,
    retryWrites: true,
    appName: 'keyward',
  });
  await guard(() => client.connect());
  const db = client.db(opts.dbName ?? (client.options.dbName && client.options.dbName !== 'test' ? client.options.dbName : 'keyward'));

  let ttlSupported: boolean;
  try {
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
    ];
    ttlSupported = ttl.every(Boolean);
  } catch (err) {
    await client.close();
    throw err;
  }
  // Collections whose documents carry expiresAt (swept when the server has no TTL indexes).
  const expiring = [sessionsCollection(db), challengesCollection(db), totpCollection(db), claimsCollection(db), attemptsCollection(db), pendingAddressesCollection(db), invitationsCollection(db), oidcCollection(db)];
  const claimOnce = createClaimOnce(db);

  return {
    kind: 'mongodb',
    ttlSupported,
    users: guarded(createMongoUserStore(db)),
    attempts: guarded(createMongoAttemptStore(db)),
    notices: guarded(createMongoNoticeStore(db)),
    sessions: guarded(createMongoSessionStore(db)),
    challenges: guarded(createMongoChallengeStore(db)),
    credentials: guarded(createMongoCredentialStore(db, claimOnce)),
    audit: guarded(createMongoAuditStore(db)),
    totp: guarded(createMongoTotpStore(db, claimOnce)),
    recovery: guarded(createMongoRecoveryStore(db)),
    signingKeys: guarded(createMongoSigningKeyStore(db)),
    noticeAddresses: guarded(createMongoNoticeAddressStore(db)),
    invitations: guarded(createMongoInvitationStore(db)),
    oidc: guarded(createMongoOidcStore(db, claimOnce)),
    mdsBlobs: guarded(createMongoMdsBlobStore(db)),
    async ping() {
      await guard(() => db.command({ ping: 1 }));
    },
    async sweepExpired(now) {
      if (ttlSupported) return;
      await guard(async () => {
        for (const c of expiring) await c.deleteMany({ expiresAt: { $lte: new Date(now) } });
      });
    },
    async close() {
      await client.close();
    },
  };
}
