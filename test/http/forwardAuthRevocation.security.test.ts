// Forward-auth is answered in front of the routers (server/http/forwardAuthFastPath.ts) and is
// the path most tempting to cache. Whatever it keeps, a session ended anywhere must be refused
// at the very next check: two instances, each with its own connection to one database (the
// embedded file opened twice, as workers do, or one MongoDB database), each warmed by checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import type { Storage } from '../../server/storage/port.js';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import { createMongoStorage } from '../../server/storage/mongo/createMongoStorage.js';
import { mongoUri } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { createTestClock } from '../helpers/testClock.js';
import { freePort } from '../helpers/freePort.js';
import { HttpClient } from '../helpers/httpClient.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';

interface SharedDatabase {
  name: string;
  open(): Promise<{ stores: [Storage, Storage]; dispose(): Promise<void> }>;
}

const databases: SharedDatabase[] = [
  {
    name: 'embedded',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'keyward-revocation-'));
      const stores: [Storage, Storage] = [createEmbeddedStorage({ dataDir: dir }), createEmbeddedStorage({ dataDir: dir })];
      return { stores, dispose: async () => { for (const s of stores) await s.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'mongodb',
    async open() {
      const dbName = `kw_revocation_${randomBytes(4).toString('hex')}`;
      const stores: [Storage, Storage] = [await createMongoStorage({ uri: mongoUri(), dbName, timeoutMs: 5000 }), await createMongoStorage({ uri: mongoUri(), dbName, timeoutMs: 5000 })];
      return {
        stores,
        async dispose() {
          for (const s of stores) await s.close();
          const client = await MongoClient.connect(mongoUri());
          await client.db(dbName).dropDatabase().finally(() => client.close());
        },
      };
    },
  },
];

/** The checks a reverse proxy makes for every page view. */
const CHECKS = ['/api/authz', '/api/authz?aal=1', '/api/whoami'];

describe.each(databases)('forward-auth refuses an ended session at the next check ($name, two instances)', (db) => {
  let a: TestApp;
  let b: TestApp;
  let stores: [Storage, Storage];
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ stores, dispose } = await db.open());
    const port = await freePort();
    const clock = createTestClock();
    a = await startTestApp({ storage: stores[0], clock, env: { ORIGINS: `http://localhost:${port}` } });
    b = await startTestApp({ storage: stores[1], clock, env: { ORIGINS: `http://localhost:${port}` } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dispose?.();
  });

  /** The signed-in browser's cookie, replayed to `app` as a proxy would. */
  function replay(signedIn: HttpClient, app: TestApp): HttpClient {
    const c = new HttpClient(app.url, signedIn.origin);
    for (const [k, v] of signedIn.cookies) c.cookies.set(k, v);
    return c;
  }

  async function admittedMany(c: HttpClient): Promise<void> {
    for (let i = 0; i < 20; i++) for (const path of CHECKS) expect((await c.get(path)).status, path).toBe(200);
  }

  it('refuses a session signed out on the other instance, after admitting it many times', async () => {
    const c = new HttpClient(a.url, a.config.origins[0]!);
    await signUpWithKey(c, 'hana');
    const viaA = replay(c, a);
    await admittedMany(viaA);
    expect((await replay(c, b).delete('/api/session')).status).toBe(204);
    for (const path of CHECKS) expect((await viaA.get(path)).status, path).toBe(401);
  });

  it('refuses every session of a user revoked through the other instance\'s database connection', async () => {
    const c = new HttpClient(a.url, a.config.origins[0]!);
    await signUpWithKey(c, 'ivan');
    const viaA = replay(c, a);
    await admittedMany(viaA);
    const { body } = await viaA.get<{ user: { id: string } }>('/api/whoami');
    expect(await stores[1].sessions.destroyAllForUser(body.user.id)).toBeGreaterThan(0);
    for (const path of CHECKS) expect((await viaA.get(path)).status, path).toBe(401);
  });

  it('refuses a session signed out on the same instance when a proxy replays its cookie', async () => {
    const c = new HttpClient(a.url, a.config.origins[0]!);
    await signUpWithKey(c, 'jonas');
    const before = replay(c, a);
    await admittedMany(before);
    expect((await c.delete('/api/session')).status).toBe(204);
    for (const path of CHECKS) expect((await before.get(path)).status, path).toBe(401);
  });
});
