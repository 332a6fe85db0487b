// NIST AAL3: only a sign-in with an attested, certified, hardware-bound, non-synced key
// (with user verification, or after the password) reaches aal 3; forward-auth asks for it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storageFactories, type StorageFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { SoftAuthenticator, type Tamper } from '../helpers/softAuthenticator.js';
import { assertWith, passwordStep, registerKey } from '../helpers/webauthnFlows.js';
import { createMdsWorld, DAY, type MdsWorld, type TestModel } from '../helpers/mdsWorld.js';
import type { Env } from '../../server/config.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-aal3-'));

describe.each(storageFactories)('aal 3 ($name)', (factory: StorageFactory) => {
  let world: MdsWorld;
  let hardware: TestModel;
  let software: TestModel;
  let blobFile: string;
  let running: { app: TestApp; dispose: () => Promise<void> } | null = null;

  beforeAll(async () => {
    world = await createMdsWorld();
    hardware = await world.model({ description: 'Test Key 5 NFC', keyProtection: ['hardware', 'secure_element'] });
    software = await world.model({ description: 'Soft Token', keyProtection: ['software'] });
    blobFile = join(dir, `blob-${factory.name}.jwt`);
    writeFileSync(blobFile, await world.blob({ no: 1, nextUpdate: Date.now() + 30 * DAY, models: [hardware, software] }));
  });
  afterEach(async () => {
    await running?.app.close();
    await running?.dispose();
    running = null;
  });

  async function start(env: Env = { ATTESTATION_POLICY: 'mds', MDS_BLOB_FILE: blobFile }) {
    const created = await factory.create();
    const app = await startTestApp({ storage: created.storage, mdsRoots: world.roots, env });
    running = { app, dispose: created.dispose };
    return app;
  }

  /** alice with one key, then signed out. */
  async function aliceWith(app: TestApp, key: SoftAuthenticator, tamper: Tamper = {}) {
    const c = app.client();
    expect((await c.post('/api/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    const res = await registerKey(c, key, tamper);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await c.delete('/api/session');
  }

  async function passkeySignIn(app: TestApp, key: SoftAuthenticator) {
    const c = app.client();
    expect((await assertWith(c, key)).status).toBe(200);
    return c;
  }

  const aal = async (c: ReturnType<TestApp['client']>) => (await c.get<{ aal: number }>('/api/whoami')).body.aal;

  it('gives aal 3 to a passkey sign-in with user verification on an attested hardware key, across whoami, authz and session tokens', async () => {
    const app = await start();
    const key = new SoftAuthenticator(app.origin, { aaguid: hardware.aaguid, attestationIdentity: await world.attestation(hardware) });
    await aliceWith(app, key);
    const c = await passkeySignIn(app, key);
    expect(await aal(c)).toBe(3);
    expect((await c.get('/api/session')).body).toMatchObject({ aal: 3 });
    const authz = await c.get('/api/authz?aal=3');
    expect(authz.status).toBe(200);
    expect(authz.headers.get('remote-aal')).toBe('3');
    const token = await c.post<{ token: string }>('/api/token', {});
    expect(JSON.parse(Buffer.from(token.body.token.split('.')[1]!, 'base64url').toString())).toMatchObject({ aal: 3 });
  });

  it('gives aal 3 after the password with a tap of the hardware key, without user verification', async () => {
    const app = await start();
    const key = new SoftAuthenticator(app.origin, { aaguid: hardware.aaguid, attestationIdentity: await world.attestation(hardware), uv: false });
    await aliceWith(app, key);
    const c = app.client();
    await passwordStep(c, 'alice');
    expect((await assertWith(c, key)).status).toBe(200);
    expect(await aal(c)).toBe(3);
  });

  it('gives aal 3 on registering the first hardware key right after the password, and aal 2 for a synced key', async () => {
    const app = await start();
    const c = app.client();
    expect((await c.post('/api/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    const key = new SoftAuthenticator(app.origin, { aaguid: hardware.aaguid, attestationIdentity: await world.attestation(hardware), uv: false });
    expect((await registerKey(c, key)).status).toBe(201);
    expect(await aal(c)).toBe(3);
    expect((await c.get('/api/authz?aal=3')).status).toBe(200);

    const bob = app.client();
    expect((await bob.post('/api/accounts', { username: 'bob', password: PASSWORD })).status).toBe(201);
    const synced = new SoftAuthenticator(app.origin, { aaguid: hardware.aaguid, attestationIdentity: await world.attestation(hardware) });
    expect((await registerKey(bob, synced, { backedUp: true })).status).toBe(201);
    expect(await aal(bob)).toBe(2);
  });

  it('gives aal 2 to a backup-eligible (synced) key of the same model, and /api/authz?aal=3 sends it to sign in', async () => {
    const app = await start();
    const key = new SoftAuthenticator(app.origin, { aaguid: hardware.aaguid, attestationIdentity: await world.attestation(hardware) });
    await aliceWith(app, key, { backedUp: true });
    const c = await passkeySignIn(app, key);
    expect(await aal(c)).toBe(2);
    const res = await c.get('/api/authz?aal=3');
    expect(res.status).toBe(401);
    expect(res.headers.get('location')).toMatch(/\/signin/);
  });

  it('gives aal 2 to a certified model that keeps keys in software', async () => {
    const app = await start();
    const key = new SoftAuthenticator(app.origin, { aaguid: software.aaguid, attestationIdentity: await world.attestation(software) });
    await aliceWith(app, key);
    expect(await aal(await passkeySignIn(app, key))).toBe(2);
  });

  it('gives aal 2 to the same hardware key registered under ATTESTATION_POLICY=none, and /api/authz?aal=3 refuses it', async () => {
    const app = await start({ ATTESTATION_POLICY: 'none', MDS_BLOB_FILE: blobFile });
    const key = new SoftAuthenticator(app.origin, { aaguid: hardware.aaguid, attestationIdentity: await world.attestation(hardware) });
    await aliceWith(app, key);
    const c = await passkeySignIn(app, key);
    expect(await aal(c)).toBe(2);
    const res = await c.get('/api/authz?aal=3');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthenticated', signInUrl: expect.stringMatching(/\/signin/) });
    expect((await c.get('/api/authz?aal=2')).status).toBe(200);
  });
});
