import { describe, expect, it } from 'vitest';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, authOptions, passwordStep, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';

describe.each(storageFactories)('security keys ($name)', (factory) => {
  const t = useApp(factory);

  it('registers a first key after sign-up, which raises the session to aal 2 with a new session id', async () => {
    const c = t.app.client();
    await c.post('/api/accounts', { username: 'alice', password: PASSWORD });
    const before = c.cookies.get('keyward');
    const key = new SoftAuthenticator(t.app.origin);
    const res = await registerKey(c, key);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      credential: { id: expect.any(String), name: 'Security key 1', deviceType: 'singleDevice', backedUp: false, flagged: false, transports: ['usb'], lastUsedAt: null },
    });
    expect(c.cookies.get('keyward')).not.toBe(before);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2, factors: expect.arrayContaining(['webauthn']) });
  });

  it('names an unnamed key with the caller’s default name, after a well-known model’s name and the person’s own', async () => {
    const c = t.app.client();
    await c.post('/api/accounts', { username: 'greta', password: PASSWORD });
    const register = async (key: SoftAuthenticator, names: { name?: string; defaultName?: string }) => {
      const options = await c.post<PublicKeyCredentialCreationOptionsJSON>('/api/webauthn/registration/options', {});
      const res = await c.post<{ credential: { name: string } }>('/api/webauthn/registration/verify', { response: key.register(options.body), ...names });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.credential.name;
    };
    expect(await register(new SoftAuthenticator(t.app.origin), { defaultName: 'Sicherheitsschlüssel 1' })).toBe('Sicherheitsschlüssel 1');
    expect(await register(new SoftAuthenticator(t.app.origin, { aaguid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8' }), { defaultName: 'Sicherheitsschlüssel 2' })).toBe('YubiKey 5 Series');
    expect(await register(new SoftAuthenticator(t.app.origin), { name: 'Blauer Schlüssel', defaultName: 'Sicherheitsschlüssel 3' })).toBe('Blauer Schlüssel');
    expect(await register(new SoftAuthenticator(t.app.origin), {})).toBe('Security key 4');
  });

  for (const [keyType, attestation] of [['ES256', 'none'], ['EdDSA', 'none'], ['ES256', 'packed'], ['EdDSA', 'packed']] as const) {
    it(`signs in with password then a ${keyType} key registered with ${attestation} attestation`, async () => {
      const c = t.app.client();
      const key = new SoftAuthenticator(t.app.origin, { keyType, attestation });
      await signUpWithKey(c, 'bob', key);
      await c.delete('/api/session');
      await passwordStep(c, 'bob');
      const options = await authOptions(c);
      expect(options.allowCredentials?.map((x) => x.id)).toEqual([key.credentials[0]!.id.toString('base64url')]);
      const before = c.cookies.get('keyward');
      const res = await c.post('/api/webauthn/authentication/verify', { response: key.assert(options) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ status: 'authenticated', user: expect.objectContaining({ username: 'bob' }) });
      expect(c.cookies.get('keyward')).not.toBe(before);
      expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2 });
    });
  }

  it('signs in with a passkey and no username, at aal 2', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin, { uv: true });
    await signUpWithKey(c, 'carol', key);
    const fresh = t.app.client();
    const options = await authOptions(fresh);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');
    const res = await fresh.post('/api/webauthn/authentication/verify', { response: key.assert(options) });
    expect(res.status).toBe(200);
    expect((await fresh.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2, user: { username: 'carol' } });
  });

  it('lists, renames and shows the last use of keys', async () => {
    const c = t.app.client();
    const { key, credential } = await signUpWithKey(c, 'dave');
    await c.delete('/api/session');
    await passwordStep(c, 'dave');
    await assertWith(c, key);
    const renamed = await c.patch(`/api/webauthn/credentials/${credential.id}`, { name: 'Blue key' });
    expect(renamed.body).toMatchObject({ credential: { name: 'Blue key' } });
    const list = await c.get<Record<string, unknown>[]>('/api/webauthn/credentials');
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ id: credential.id, name: 'Blue key', lastUsedAt: expect.any(String), aaguid: '00000000-0000-0000-0000-000000000000' });
    expect(Object.keys(list.body[0]!).sort()).toEqual(['aaguid', 'attestation', 'backedUp', 'createdAt', 'deviceType', 'flagged', 'id', 'lastUsedAt', 'model', 'modelIcon', 'modelRevokedBy', 'name', 'transports']);
  });

  it('registers a second key at aal 2 and excludes the first in the options', async () => {
    const c = t.app.client();
    const { credential } = await signUpWithKey(c, 'erin');
    const options = await c.post<{ excludeCredentials: { id: string }[] }>('/api/webauthn/registration/options', {});
    expect(options.body.excludeCredentials.map((x) => x.id)).toEqual([credential.id]);
    const res = await registerKey(c, new SoftAuthenticator(t.app.origin, { keyType: 'EdDSA' }), {}, 'Backup key');
    expect(res.status).toBe(201);
    expect((await c.get<unknown[]>('/api/webauthn/credentials')).body).toHaveLength(2);
  });

  it('removes a key after a fresh step-up', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin);
    await signUpWithKey(c, 'frank', key);
    const second = new SoftAuthenticator(t.app.origin);
    await registerKey(c, second);
    const [first] = (await c.get<{ id: string }[]>('/api/webauthn/credentials')).body;
    const res = await c.delete(`/api/webauthn/credentials/${first!.id}`);
    expect(res.status).toBe(204);
    expect((await c.get<unknown[]>('/api/webauthn/credentials')).body).toHaveLength(1);
  });
});
