// The database stops in the middle of sign-ins (after the password, before the second factor)
// and comes back: every request during the outage is answered 503 `unavailable` (the driver's
// DB_TIMEOUT_MS ends each wait, so nothing hangs: a hang would end the test by its timeout),
// readiness fails and then recovers, nothing half-written is left (the same code and a new key
// ceremony both succeed afterwards), and nothing crashed. How long each took is printed, not
// asserted: a busy CI machine must not turn a timing into a failure (timings live in bench/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoStorage } from '../../server/storage/mongo/createMongoStorage.js';
import type { Storage } from '../../server/storage/port.js';
import { startFerretDb, type FerretDb } from '../helpers/ferretdb.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { authOptions, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { codeAt, enrollTotp, nextStep } from '../http/totpSteps.js';
import type { HttpResponse } from '../helpers/httpClient.js';

const DB_TIMEOUT_MS = 1000;

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}

const slowest: number[] = [];
function expectUnavailable(r: { value: HttpResponse; ms: number }, what: string) {
  slowest.push(r.ms);
  expect(r.value.status, what).toBe(503);
  expect(r.value.body, what).toMatchObject({ error: 'unavailable', message: expect.any(String) });
}

describe('database outage during sign-ins (MongoDB adapter on FerretDB)', () => {
  let db: FerretDb;
  let storage: Storage;
  let app: TestApp;

  beforeAll(async () => {
    db = await startFerretDb();
    storage = await createMongoStorage({ uri: db.uri, dbName: 'signin_outage', timeoutMs: DB_TIMEOUT_MS });
    app = await startTestApp({ storage, env: { DB_TIMEOUT_MS: String(DB_TIMEOUT_MS) } });
  });
  afterAll(async () => {
    await app?.close();
    await storage?.close();
    await db?.dispose();
  });

  it('answers 503 while the database is away, recovers once it is back, and the interrupted ceremonies complete afterwards', async () => {
    // alice: a key and an authenticator app; bob: a key.
    const setup = app.client();
    const { key: aliceKey } = await signUpWithKey(setup, 'alice');
    const totp = await enrollTotp(app, setup);
    const bobSetup = app.client();
    const { key: bobKey } = await signUpWithKey(bobSetup, 'bob');

    // Both are between the password and the second factor when the database goes away.
    const alice = app.client();
    await passwordStep(alice, 'alice');
    const bob = app.client();
    await passwordStep(bob, 'bob');
    const bobOptions = await authOptions(bob);
    nextStep(app);
    const code = await codeAt(totp.secret, app.clock.now());

    await db.stop();

    expectUnavailable(await timed(() => alice.post('/api/totp/verify', { code })), 'authenticator code');
    expectUnavailable(await timed(() => bob.post('/api/webauthn/authentication/verify', { response: bobKey.assert(bobOptions) })), 'security key');
    expectUnavailable(await timed(() => app.client().post('/api/session', { username: 'carol', password: PASSWORD })), 'password step');
    expectUnavailable(await timed(() => alice.get('/api/session')), 'session read');
    expectUnavailable(await timed(() => app.client().get('/readyz')), 'readiness');
    expect((await app.client().get('/healthz')).status).toBe(200);

    await db.start();
    const back = performance.now();
    // Ready again once the driver reconnects: waited for, not timed.
    await expect.poll(async () => (await app.client().get('/readyz')).status, { timeout: 20_000, interval: 50 }).toBe(200);
    console.info(`outage: slowest 503 after ${Math.round(Math.max(...slowest))} ms; ready again ${Math.round(performance.now() - back)} ms after the database came back`);

    // alice is still at the second step, and the code the outage refused was never spent.
    expect((await alice.get('/api/session')).body).toMatchObject({ status: 'mfa_required' });
    const retried = await alice.post('/api/totp/verify', { code });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect((await alice.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2 });

    // bob's ceremony starts over with new options and completes.
    const again = await bob.post('/api/webauthn/authentication/verify', { response: bobKey.assert(await authOptions(bob)) });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    // And fresh sign-ins work end to end.
    const fresh = app.client();
    await passwordStep(fresh, 'alice');
    expect((await fresh.post('/api/webauthn/authentication/verify', { response: aliceKey.assert(await authOptions(fresh)) })).status).toBe(200);
    // The set-up session outlived the outage too.
    expect((await setup.get('/api/session')).body).toMatchObject({ status: 'authenticated' });
  });
});
