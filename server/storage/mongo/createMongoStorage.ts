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
import { createMongoLogoutQueueStore } from './logoutQueue.js';

export interface MongoStorageOptions {
  uri: string;
  /** Database name; defaults to the one in the URI, else "keyward". */
  dbName?: string | undefined;
  /** How long an operation may wait for a reachable server, or for a pooled connection, before answering 'unavailable'. */
  timeoutMs: number;
  /** Connections to the server (the driver's maxPoolSize); default 20. */
  poolSize?: number | undefined;
  /** The indexes exist already (the cluster primary created them): read, create nothing. */
  prepared?: boolean;
}

/** The readiness ping's own wait: a load balancer asks often and must get an answer, not a queue. */
const PING_TIMEOUT_MS = 1000;

/** Connects, creates indexes (unless `prepared`), and returns the MongoDB adapter of the storage port. */
export async function createMongoStorage(opts: MongoStorageOptions): Promise<Storage & { ttlSupported: boolean }> {
  // Every wait is bounded (issue 21). Measured before: 3,000 simultaneous guesses on two
  // instances held FerretDB for 6-8 minutes. The driver's defaults let each process open 100
  // connections and queue every further operation with no time limit (waitQueueTimeoutMS 0).
  // 200 connections writing at once into FerretDB's SQLite file fight over its one write lock
  // (SQLITE_BUSY answers, throughput collapsing to tens of operations a second); an operation
  // past socketTimeoutMS closed its connection, but FerretDB finished the abandoned work anyway
  // and the driver opened a replacement (≈ 640 connections churned); the /readyz ping queued
  // at the tail of the same FIFO queue. Nothing was stuck: each process worked through its
  // whole backlog (every operation of every accepted request, one after another), and only
  // then answered again. Now: few connections (poolSize), a wait for one bounded like every
  // other wait (waitQueueTimeoutMS → 503 unavailable), few requests let in at all
  // (server/http/inFlightLimit.ts), and the ping on a connection of its own.
  const client = new MongoClient(opts.uri, {
    serverSelectionTimeoutMS: opts.timeoutMs,
    connectTimeoutMS: opts.timeoutMs,
    maxPoolSize: opts.poolSize ?? 20,
    waitQueueTimeoutMS: opts.timeoutMs,
    socketTimeoutMS: opts.timeoutMs * 5,
    retryWrites: true,
    appName: 'keyward',
  });
  // /readyz asks whether the database answers, not whether this process's pool is free.
  const pinger = new MongoClient(opts.uri, {
    serverSelectionTimeoutMS: PING_TIMEOUT_MS,
    connectTimeoutMS: PING_TIMEOUT_MS,
    socketTimeoutMS: PING_TIMEOUT_MS,
    waitQueueTimeoutMS: PING_TIMEOUT_MS,
    maxPoolSize: 1,
    appName: 'keyward-readiness',
  });
  // Both now: a client whose first operation connects it implicitly, and fails, stays closed
  // ("Topology is closed") for good; a readiness check made first during an outage would
  // then never see the database again.
  try {
    await guard(() => Promise.all([client.connect(), pinger.connect()]));
  } catch (err) {
    await Promise.all([client.close(), pinger.close()]);
    throw err;
  }
  const db = client.db(opts.dbName ?? (client.options.dbName && client.options.dbName !== 'test' ? client.options.dbName : 'keyward'));

  let ttlSupported: boolean;
  try {
    ttlSupported = opts.prepared ? await guard(() => readTtlSupport(db)) : await createMongoIndexes(db);
  } catch (err) {
    await Promise.all([client.close(), pinger.close()]);
    throw err;
  }
  const expiring = expiringCollections(db);
  const claimOnce = createClaimOnce(db);

  return {
    kind: 'mongodb',
    ttlSupported,
    users: guarded(createMongoUserStore(db, claimOnce)),
    attempts: guarded(createMongoAttemptStore(db, claimOnce)),
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
    logoutQueue: guarded(createMongoLogoutQueueStore(db, claimOnce)),
    async ping() {
      await guard(() => pinger.db(db.databaseName).command({ ping: 1 }));
    },
    async sweepExpired(now) {
      if (ttlSupported) return;
      await guard(async () => {
        for (const c of expiring) await c.deleteMany({ expiresAt: { $lte: new Date(now) } });
      });
    },
    async close() {
      await Promise.all([client.close(), pinger.close()]);
    },
  };
}
