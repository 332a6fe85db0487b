// The two storage adapters, as fresh empty instances. Tests that involve storage run
// against both (describe.each(storageFactories)).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, inject } from 'vitest';
import { MongoClient } from 'mongodb';
import type { Storage } from '../../server/storage/port.js';
import { createMongoStorage } from '../../server/storage/mongo/createMongoStorage.js';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import { HOW_TO_GET_A_DATABASE } from './ferretdb.js';

export interface StorageFactory {
  name: 'mongodb' | 'embedded';
  create(): Promise<{ storage: Storage; dispose(): Promise<void> }>;
}

/**
 * How long test stores let an operation wait (for the server, for a pooled connection). A
 * test database on a busy 2-core machine is slow, not down: a 300-guess burst queues behind
 * the pool of 20 for seconds there, and a shorter bound turned that wait into 503s (11 of 150
 * per instance in one run at 5 s). Outage tests open their own store with a short one.
 */
export const TEST_DB_TIMEOUT_MS = 30_000;

export function mongoUri(): string {
  const uri = inject('mongoUri');
  if (!uri) throw new Error(HOW_TO_GET_A_DATABASE);
  return uri;
}

export const mongoFactory: StorageFactory = {
  name: 'mongodb',
  async create() {
    const dbName = `kw_${randomBytes(6).toString('hex')}`;
    const storage = await createMongoStorage({ uri: mongoUri(), dbName, timeoutMs: TEST_DB_TIMEOUT_MS });
    return {
      storage,
      async dispose() {
        await storage.close();
        // Leave a real MongoDB as clean as we found it.
        const client = await MongoClient.connect(mongoUri());
        await client.db(dbName).dropDatabase().finally(() => client.close());
      },
    };
  },
};

export const embeddedFactory: StorageFactory = {
  name: 'embedded',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-embedded-'));
    const storage = createEmbeddedStorage({ dataDir: dir });
    return {
      storage,
      async dispose() {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const storageFactories: StorageFactory[] = [mongoFactory, embeddedFactory];

/**
 * A fresh store for every test of the describe block it is called in: the returned object
 * stands for the current test's store (`const storage = useStorage(factory)`).
 */
export function useStorage(factory: StorageFactory): Storage {
  let current: { storage: Storage; dispose(): Promise<void> } | undefined;
  beforeEach(async () => {
    current = await factory.create();
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return new Proxy({} as Storage, {
    get(_target, key) {
      if (!current) throw new Error('useStorage: the store exists only while a test runs');
      return current.storage[key as keyof Storage];
    },
  });
}
