// The database goes away and comes back: readiness and the API say so (503), nothing
// crashes, and both recover on their own. Uses its own FerretDB so it can stop it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoStorage } from '../../server/storage/mongo/createMongoStorage.js';
import type { Storage } from '../../server/storage/port.js';
import { startFerretDb, type FerretDb } from '../helpers/ferretdb.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { PASSWORD } from '../helpers/appFixture.js';

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, limitMs: number): Promise<T> {
  const deadline = Date.now() + limitMs;
  let last: T;
  do {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);
  return last;
}

describe('database outage (MongoDB adapter on FerretDB)', () => {
  let db: FerretDb;
  let storage: Storage;
  let app: TestApp;

  beforeAll(async () => {
    db = await startFerretDb();
    storage = await createMongoStorage({ uri: db.uri, dbName: 'outage', timeoutMs: 1000 });
    app = await startTestApp({ storage, env: { DB_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => {
    await app?.close();
    await storage?.close();
    await db?.dispose();
  });

  it('answers 503 while the database is down and recovers within 5 s of its return', async () => {
    const c = app.client();
    expect((await c.post('/api/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    expect((await c.get('/readyz')).status).toBe(200);

    await db.stop();

    const ready = await c.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ error: 'unavailable' });
    const signIn = await app.client().post('/api/session', { username: 'alice', password: PASSWORD });
    expect(signIn.status).toBe(503);
    expect(signIn.body).toMatchObject({ error: 'unavailable' });
    expect(signIn.headers.get('retry-after')).toBe('5');
    expect((await c.get('/healthz')).status).toBe(200); // alive, just not ready

    await db.start();
    const back = await eventually(() => c.get('/readyz'), (r) => r.status === 200, 5000);
    expect(back.status).toBe(200);
    // The account written before the outage is intact and usable.
    expect((await app.client().post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
  });
});
