import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, passwordStep, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';

const ALLOWED = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
const OTHER = '11111111-2222-3333-4444-555555555555';

describe.each(storageFactories)('attestation allow-list ($name)', (factory) => {
  const t = useApp(factory, { ATTESTATION: 'direct', ALLOWED_AAGUIDS: ALLOWED });

  async function newAccount() {
    const c = t.app.client();
    await c.post('/api/accounts', { username: 'alice', password: PASSWORD });
    return c;
  }

  it('asks for direct attestation and accepts an attested key of a listed model, named after it', async () => {
    const c = await newAccount();
    const options = await c.post('/api/webauthn/registration/options', {});
    expect(options.body).toMatchObject({ attestation: 'direct' });
    const res = await registerKey(c, new SoftAuthenticator(t.app.origin, { aaguid: ALLOWED, attestation: 'packed' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ credential: { aaguid: ALLOWED, name: 'YubiKey 5 Series' } });
  });

  it('refuses a key of a model outside the list with a clear message', async () => {
    const c = await newAccount();
    const res = await registerKey(c, new SoftAuthenticator(t.app.origin, { aaguid: OTHER, attestation: 'packed' }));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden', message: 'This key model is not allowed here.' });
    expect(await t.storage.credentials.countByUser((await t.storage.users.findByUsername('alice'))!.id)).toBe(0);
  });

  it('refuses an unattested key claiming a listed model', async () => {
    const c = await newAccount();
    const res = await registerKey(c, new SoftAuthenticator(t.app.origin, { aaguid: ALLOWED, attestation: 'none' }));
    expect(res.status).toBe(403);
  });
});

describe.each(storageFactories)('user verification required ($name)', (factory) => {
  const t = useApp(factory, { USER_VERIFICATION: 'required' });

  it('refuses a second-step tap without user verification when the policy requires it', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin);
    await signUpWithKey(c, 'bob', key);
    await c.delete('/api/session');
    await passwordStep(c, 'bob');
    expect((await assertWith(c, key, { uv: false })).status).toBe(401);
    expect((await assertWith(c, key, { uv: true })).status).toBe(200);
  });

  it('refuses to register a key without user verification when the policy requires it', async () => {
    const c = t.app.client();
    await c.post('/api/accounts', { username: 'carol', password: PASSWORD });
    expect((await registerKey(c, new SoftAuthenticator(t.app.origin), { uv: false })).status).toBe(401);
  });
});
