import { MongoClient } from 'mongodb';
import type { Storage } from '../port.js';
import { guard, guarded } from './guard.js';
import { createMongoUserStore } from './users.js';
import { createMongoSessionStore } from './sessions.js';
import { createMongoChallengeStore } from './challenges.js';
import { createMongoCredentialStore } from './credentials.js';
import { createClaimOnce } from './claims.js';
import { createMongoAttemptStore } from './attempts.js';
import { createMongoNoticeStore } from './notices.js';
import { createMongoAuditStore } from './audit.js';
import { createMongoTotpStore } from './totp.js';
import { createMongoRecoveryStore } from './recovery.js';
import { createMongoSigningKeyStore } from './signingKeys.js';
import { createMongoNoticeAddressStore } from './noticeAddresses.js';
import { createMongoInvitationStore } from './invitations.js';
import { createMongoOidcStore } from './oidc.js';
import { createMongoIndexes, expiringCollections, readTtlSupport } from './createMongoIndexes.js';
import { createMongoMdsBlobStore } from './mdsBlobs.js';

export interface MongoStorageOptions {
  uri: string;
  /** Database name; defaults to the one in the URI, else "keyward". */
  dbName?: string | undefined;
  /** How long an operation may wait for a reachable server before answering 'unavailable'. */
  timeoutMs: number;
  /** The indexes exist already (the cluster primary created them): read, create nothing. */
  prepared?: boolean;
}

/** Connects, creates indexes (unless `prepared`), and returns the MongoDB adapter of the storage port. */
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
    ttlSupported = opts.prepared ? await guard(() => readTtlSupport(db)) : await createMongoIndexes(db);
  } catch (err) {
    await client.close();
    throw err;
  }
  const expiring = expiringCollections(db);
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
