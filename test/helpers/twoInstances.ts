// Two app instances on one MongoDB database, as behind a load balancer: one public origin,
// one clock, each with its own database connection. `const t = useTwoInstances('name')`.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { MongoClient } from 'mongodb';
import { createMongoStorage } from '../../server/storage/mongo/createMongoStorage.js';
import type { Storage } from '../../server/storage/port.js';
import type { Env } from '../../server/config.js';
import { mongoUri, TEST_DB_TIMEOUT_MS } from './storageFactories.js';
import { startTestApp, type TestApp } from './testApp.js';
import { createTestClock } from './testClock.js';
import { freePort } from './freePort.js';

export interface TwoInstances {
  a: TestApp;
  b: TestApp;
  stores: Storage[];
}

export function useTwoInstances(prefix: string, env: Env = {}): TwoInstances {
  const dbName = `kw_${prefix}_${randomBytes(4).toString('hex')}`;
  const t = { stores: [] } as unknown as TwoInstances;
  beforeAll(async () => {
    t.stores = [await createMongoStorage({ uri: mongoUri(), dbName, timeoutMs: TEST_DB_TIMEOUT_MS }), await createMongoStorage({ uri: mongoUri(), dbName, timeoutMs: TEST_DB_TIMEOUT_MS })];
    // The same port number in both origins: what a browser sees behind the balancer.
    const port = await freePort();
    const clock = createTestClock();
    t.a = await startTestApp({ storage: t.stores[0]!, clock, env: { ...env, ORIGINS: `http://localhost:${port}` } });
    t.b = await startTestApp({ storage: t.stores[1]!, clock, env: { ...env, ORIGINS: `http://localhost:${port}` } });
  });
  afterAll(async () => {
    await t.a?.close();
    await t.b?.close();
    for (const s of t.stores) await s.close();
    const client = await MongoClient.connect(mongoUri());
    await client.db(dbName).dropDatabase().finally(() => client.close());
  });
  return t;
}
