// ATTESTATION_POLICY=mds: keys are accepted only when their attestation chains to their
// model's root in a FIDO metadata blob that itself chains to the (test) FIDO root.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storageFactories, type StorageFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { registerKey } from '../helpers/webauthnFlows.js';
import { createMdsWorld, DAY, type MdsWorld, type TestModel } from '../helpers/mdsWorld.js';
import type { Storage } from '../../server/storage/port.js';
import type { Env } from '../../server/config.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-mds-'));
// A 1x1 PNG.
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe.each(storageFactories)('hardware-key trust ($name)', (factory: StorageFactory) => {
  let world: MdsWorld;
  let certified: TestModel;
  let uncertified: TestModel;
  let running: { app: TestApp; dispose: () => Promise<void> } | null = null;

  beforeAll(async () => {
    world = await createMdsWorld();
    certified = await world.model({ description: 'Test Key 5 NFC', certification: 'FIDO_CERTIFIED_L2' });
    uncertified = await world.model({ description: 'Cheap Key', certification: null });
  });
  afterEach(async () => {
    await running?.app.close();
    await running?.dispose();
    running = null;
  });

  async function start(blob: string | null, env: Env = {}): Promise<{ app: TestApp; storage: Storage }> {
    const created = await factory.create();
    const file = join(dir, `blob-${Math.random().toString(36).slice(2)}.jwt`);
    if (blob) writeFileSync(file, blob);
    const app = await startTestApp({ storage: created.storage, mdsRoots: world.roots, env: { ATTESTATION_POLICY: 'mds', ...(blob && { MDS_BLOB_FILE: file }), ...env } });
    running = { app, dispose: created.dispose };
    return { app, storage: created.storage };
  }

  async function signedUp(app: TestApp) {
    const c = app.client();
    expect((await c.post('/api/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    return c;
  }

  const fresh = () => Date.now() + 30 * DAY;

  it('asks for direct attestation and accepts a certified model, named from the blob, recording what it proved', async () => {
    const { app, storage } = await start(await world.blob({ no: 10, nextUpdate: fresh(), models: [certified, uncertified] }));
    const c = await signedUp(app);
    expect((await c.post('/api/webauthn/registration/options', {})).body).toMatchObject({ attestation: 'direct' });
    const key = new SoftAuthenticator(app.origin, { aaguid: certified.aaguid, attestationIdentity: await world.attestation(certified) });
    const res = await registerKey(c, key);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ credential: { name: 'Test Key 5 NFC', aaguid: certified.aaguid } });
    const stored = await storage.credentials.findById((res.body as { credential: { id: string } }).credential.id);
    expect(stored?.attestation).toEqual({ aaguid: certified.aaguid, certification: 'FIDO_CERTIFIED_L2', hardwareBound: true });
  });

  it('shows the icon the blob gives a model only when it is an image data: URL', async () => {
    const png = `data:image/png;base64,${PNG_1X1}`;
    const withIcon = await world.model({ description: 'Iconic Key', icon: png });
    const tracking = await world.model({ description: 'Tracking Key', icon: 'https://tracker.example/pixel.png' });
    const scripted = await world.model({ description: 'Scripted Key', icon: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==' });
    const { app } = await start(await world.blob({ no: 10, nextUpdate: fresh(), models: [withIcon, tracking, scripted] }));
    const c = await signedUp(app);
    for (const m of [withIcon, tracking, scripted]) {
      expect((await registerKey(c, new SoftAuthenticator(app.origin, { aaguid: m.aaguid, attestationIdentity: await world.attestation(m) }))).status).toBe(201);
    }
    const keys = (await c.get<{ model: string; modelIcon: string | null }[]>('/api/webauthn/credentials')).body;
    expect(Object.fromEntries(keys.map((k) => [k.model, k.modelIcon]))).toEqual({ 'Iconic Key': png, 'Tracking Key': null, 'Scripted Key': null });
  });

  it('refuses a model below MDS_MIN_CERTIFICATION, saying so and auditing why', async () => {
    const { app, storage } = await start(await world.blob({ no: 10, nextUpdate: fresh(), models: [certified, uncertified] }));
    const c = await signedUp(app);
    const res = await registerKey(c, new SoftAuthenticator(app.origin, { aaguid: uncertified.aaguid, attestationIdentity: await world.attestation(uncertified) }));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden', message: 'This key model is not allowed here.' });
    const events = await storage.audit.query({ type: 'factor.added', limit: 5 });
    expect(events[0]?.details['reason']).toMatch(/^not_certified: none < FIDO_CERTIFIED_L1 \(Cheap Key\)/);
  });

  it('refuses a model the blob does not list', async () => {
    const unlisted = await world.model({ description: 'Unlisted' });
    const { app } = await start(await world.blob({ no: 10, nextUpdate: fresh(), models: [certified] }));
    const c = await signedUp(app);
    const res = await registerKey(c, new SoftAuthenticator(app.origin, { aaguid: unlisted.aaguid, attestationIdentity: await world.attestation(unlisted) }));
    expect(res.status).toBe(403);
  });

  it('refuses an attestation signed under a root other than the model\'s', async () => {
    const { app, storage } = await start(await world.blob({ no: 10, nextUpdate: fresh(), models: [certified] }));
    const c = await signedUp(app);
    const forged = await world.attestation(certified, await world.foreignCa());
    const res = await registerKey(c, new SoftAuthenticator(app.origin, { aaguid: certified.aaguid, attestationIdentity: forged }));
    expect(res.status).toBe(403);
    expect((await storage.audit.query({ type: 'factor.added', limit: 1 }))[0]?.details['reason']).toMatch(/^attestation_not_trusted: not_chained_to_root/);
  });

  it('refuses a listed model\'s AAGUID without attestation (self or none)', async () => {
    const { app } = await start(await world.blob({ no: 10, nextUpdate: fresh(), models: [certified] }));
    const c = await signedUp(app);
    expect((await registerKey(c, new SoftAuthenticator(app.origin, { aaguid: certified.aaguid, attestation: 'packed' }))).status).toBe(403);
    expect((await registerKey(c, new SoftAuthenticator(app.origin, { aaguid: certified.aaguid }))).status).toBe(403);
  });

  it('refuses a model reported compromised, even when certified', async () => {
    const compromised = await world.model({ description: 'Leaky Key', statuses: ['ATTESTATION_KEY_COMPROMISE'] });
    const { app } = await start(await world.blob({ no: 10, nextUpdate: fresh(), models: [compromised] }));
    const c = await signedUp(app);
    expect((await registerKey(c, new SoftAuthenticator(app.origin, { aaguid: compromised.aaguid, attestationIdentity: await world.attestation(compromised) }))).status).toBe(403);
  });

  it('ignores a tampered blob and a blob signed under another root: no key is accepted', async () => {
    const good = await world.blob({ no: 10, nextUpdate: fresh(), models: [certified] });
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { no: number };
    payload.no = 99;
    const tampered = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
    for (const blob of [tampered, await world.blob({ no: 10, nextUpdate: fresh(), models: [certified], signer: 'other' })]) {
      const { app, storage } = await start(blob);
      const c = await signedUp(app);
      const res = await registerKey(c, new SoftAuthenticator(app.origin, { aaguid: certified.aaguid, attestationIdentity: await world.attestation(certified) }));
      expect(res.status).toBe(403);
      expect(await storage.mdsBlobs.latest()).toBeNull();
      await running!.app.close();
      await running!.dispose();
      running = null;
    }
  });

  it('uses an expired blob, but says so in /readyz', async () => {
    const { app } = await start(await world.blob({ no: 10, nextUpdate: Date.now() - 2 * DAY, models: [certified] }));
    const c = await signedUp(app);
    const res = await registerKey(c, new SoftAuthenticator(app.origin, { aaguid: certified.aaguid, attestationIdentity: await world.attestation(certified) }));
    expect(res.status).toBe(201);
    const ready = await app.client().get('/readyz');
    expect(ready.status).toBe(200);
    expect((ready.body as { warnings: string[] }).warnings[0]).toMatch(/FIDO metadata blob 10 is past its nextUpdate/);
  });
});

describe.each(storageFactories)('a FIDO metadata update re-checks registered keys ($name)', (factory: StorageFactory) => {
  let world: MdsWorld;
  const instances: TestApp[] = [];
  let dispose: () => Promise<void>;
  afterEach(async () => {
    for (const a of instances.splice(0)) await a.close();
    await dispose();
  });

  it('marks keys of a model later reported compromised, and tells their owners once, even when instances import the blob together', async () => {
    world = await createMdsWorld();
    const model = await world.model({ description: 'Test Key 5 NFC' });
    const created = await factory.create();
    dispose = created.dispose;
    const write = (name: string, jwt: string) => {
      const file = join(dir, `${name}-${Math.random().toString(36).slice(2)}.jwt`);
      writeFileSync(file, jwt);
      return file;
    };
    const first = await startTestApp({ storage: created.storage, mdsRoots: world.roots, env: { ATTESTATION_POLICY: 'mds', MDS_BLOB_FILE: write('b10', await world.blob({ no: 10, nextUpdate: Date.now() + 30 * DAY, models: [model] })) } });
    instances.push(first);
    const alice = first.client();
    await alice.post('/api/accounts', { username: 'alice', password: PASSWORD });
    expect((await registerKey(alice, new SoftAuthenticator(first.origin, { aaguid: model.aaguid, attestationIdentity: await world.attestation(model) }))).status).toBe(201);

    // The next blob reports the model compromised; two instances import it at once.
    model.statuses = ['ATTESTATION_KEY_COMPROMISE'];
    const file = write('b11', await world.blob({ no: 11, nextUpdate: Date.now() + 30 * DAY, models: [model] }));
    for (let i = 0; i < 2; i++) instances.push(await startTestApp({ storage: created.storage, mdsRoots: world.roots, env: { ATTESTATION_POLICY: 'mds', MDS_BLOB_FILE: file } }));
    await Promise.all(instances.slice(1).map((a) => a.client().get('/readyz')));

    const keys = await alice.get<{ name: string; model: string; modelRevokedBy: string }[]>('/api/webauthn/credentials');
    expect(keys.body).toEqual([expect.objectContaining({ name: 'Test Key 5 NFC', model: 'Test Key 5 NFC', modelRevokedBy: 'ATTESTATION_KEY_COMPROMISE' })]);
    const notices = await alice.get<{ type: string; message: string }[]>('/api/me/notices');
    const revoked = notices.body.filter((n) => n.type === 'key.model_revoked');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.message).toContain('"Test Key 5 NFC" (Test Key 5 NFC) is of a model reported as no longer safe (ATTESTATION_KEY_COMPROMISE)');
    // The first instance now uses blob 11 too: the model is refused from now on.
    expect(await created.storage.mdsBlobs.latestSerial()).toBe(11);
    const res = await registerKey(alice, new SoftAuthenticator(first.origin, { aaguid: model.aaguid, attestationIdentity: await world.attestation(model) }));
    expect(res.status).toBe(403);
  });
});
