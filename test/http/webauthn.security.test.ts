import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, authOptions, passwordStep, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import type { HttpClient } from '../helpers/httpClient.js';

const FAILED = { error: 'webauthn_verification_failed', message: expect.any(String) };

describe.each(storageFactories)('security key attacks ($name)', (factory) => {
  const t = useApp(factory);

  /** bob has one key and is at the second step of sign-in. */
  async function pending(opts: ConstructorParameters<typeof SoftAuthenticator>[1] = {}) {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin, opts);
    await signUpWithKey(c, 'bob', key);
    await c.delete('/api/session');
    await passwordStep(c, 'bob');
    return { c, key };
  }

  async function status(c: HttpClient) {
    return ((await c.get('/api/session')).body as { status: string }).status;
  }

  it('refuses an assertion made for another origin', async () => {
    const { c, key } = await pending();
    const res = await assertWith(c, key, { origin: 'https://evil.example' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(FAILED);
    expect(await status(c)).toBe('mfa_required');
  });

  it('refuses a registration made for another origin', async () => {
    const c = t.app.client();
    await c.post('/api/accounts', { username: 'alice', password: PASSWORD });
    const res = await registerKey(c, new SoftAuthenticator(t.app.origin), { origin: 'https://evil.example' });
    expect(res.status).toBe(401);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'enroll_required', factors: [] });
  });

  it('refuses authenticator data hashed for another RP ID', async () => {
    const { c, key } = await pending();
    expect((await assertWith(c, key, { rpId: 'evil.example' })).status).toBe(401);
  });

  it('refuses a bogus signature', async () => {
    const { c, key } = await pending();
    expect((await assertWith(c, key, { badSignature: true })).status).toBe(401);
    expect(await status(c)).toBe('mfa_required');
  });

  it('refuses a replayed assertion: the challenge was spent by its first use', async () => {
    const { c, key } = await pending();
    const options = await authOptions(c);
    const response = key.assert(options);
    const copy = c.clone();
    expect((await c.post('/api/webauthn/authentication/verify', { response })).status).toBe(200);
    expect((await copy.post('/api/webauthn/authentication/verify', { response })).status).toBe(401);
  });

  it('spends a challenge even when its verification fails', async () => {
    const { c, key } = await pending();
    const options = await authOptions(c);
    expect((await c.post('/api/webauthn/authentication/verify', { response: key.assert(options, { badSignature: true }) })).status).toBe(401);
    // The same challenge, now correctly signed, is gone.
    expect((await c.post('/api/webauthn/authentication/verify', { response: key.assert(options) })).status).toBe(401);
  });

  it('refuses an expired challenge (clock moved past the ceremony timeout)', async () => {
    const { c, key } = await pending();
    const options = await authOptions(c);
    t.app.clock.advance(300_001);
    expect((await c.post('/api/webauthn/authentication/verify', { response: key.assert(options) })).status).toBe(401);
  });

  it('refuses a challenge issued to another session, and leaves it usable by its owner', async () => {
    const { c, key } = await pending();
    const options = await authOptions(c);
    const stranger = t.app.client();
    await passwordStep(stranger, 'bob');
    const response = key.assert(options);
    expect((await stranger.post('/api/webauthn/authentication/verify', { response })).status).toBe(401);
    expect(await status(stranger)).toBe('mfa_required');
    expect((await c.post('/api/webauthn/authentication/verify', { response })).status).toBe(200);
  });

  it('refuses a key of another user at the second step', async () => {
    const mallory = t.app.client();
    const malloryKey = new SoftAuthenticator(t.app.origin);
    await signUpWithKey(mallory, 'mallory', malloryKey);
    const { c } = await pending();
    const options = await authOptions(c);
    const res = await c.post('/api/webauthn/authentication/verify', { response: malloryKey.assert({ ...options, allowCredentials: [] }) });
    expect(res.status).toBe(401);
    expect(await status(c)).toBe('mfa_required');
  });

  it('refuses a passkey assertion whose user handle names someone else', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin);
    await signUpWithKey(c, 'carol', key);
    const fresh = t.app.client();
    const options = await authOptions(fresh);
    const response = key.assert(options);
    response.response.userHandle = Buffer.from('someone-else').toString('base64url');
    expect((await fresh.post('/api/webauthn/authentication/verify', { response })).status).toBe(401);
    expect(await status(fresh)).toBe('anonymous');
  });

  it('refuses a passkey sign-in without user verification', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin);
    await signUpWithKey(c, 'carol', key);
    const fresh = t.app.client();
    const res = await assertWith(fresh, key, { uv: false });
    expect(res.status).toBe(401);
    expect(await status(fresh)).toBe('anonymous');
  });

  it('accepts a key tapped without user verification after a password (aal 2)', async () => {
    const { c, key } = await pending();
    expect((await assertWith(c, key, { uv: false })).status).toBe(200);
    expect((await c.get('/api/session')).body).toMatchObject({ aal: 2 });
  });

  it('refuses a counter that goes backwards, flags the key and audits it', async () => {
    const { c, key } = await pending({ initialCounter: 10 });
    expect((await assertWith(c, key)).status).toBe(200); // counter 11
    await c.delete('/api/session');
    await passwordStep(c, 'bob');
    const res = await assertWith(c, key, { counter: 5 });
    expect(res.status).toBe(401);
    const [cred] = await t.storage.credentials.listByUser((await t.storage.users.findByUsername('bob'))!.id);
    expect(cred!.flagged).toBe(true);
    expect(cred!.counter).toBe(11);
    const events = await t.storage.audit.listForUser(cred!.userId, { limit: 20 });
    expect(events.map((e) => e.type)).toContain('webauthn.counter_regressed');
    expect(events.find((e) => e.type === 'webauthn.counter_regressed')).toMatchObject({ outcome: 'failure', details: { credentialId: cred!.id } });
  });

  it('does not punish keys that always report counter 0 (synced passkeys)', async () => {
    const { c, key } = await pending();
    for (let i = 0; i < 3; i++) {
      expect((await assertWith(c, key)).status).toBe(200);
      await c.delete('/api/session');
      await passwordStep(c, 'bob');
    }
    const [cred] = await t.storage.credentials.listByUser((await t.storage.users.findByUsername('bob'))!.id);
    expect(cred!.flagged).toBe(false);
  });

  it('lets exactly one of 50 parallel verifications of one assertion succeed', async () => {
    const { c, key } = await pending();
    const response = key.assert(await authOptions(c));
    const results = await Promise.all(Array.from({ length: 50 }, () => c.clone().post('/api/webauthn/authentication/verify', { response })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    // The others are refused (401) or turned away by the brute-force limits (429).
    expect(results.filter((r) => r.status === 401 || r.status === 429)).toHaveLength(49);
  });

  it('answers 409 already_registered for a key registered before', async () => {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'dave');
    const res = await registerKey(c, key, { reuse: key.credentials[0]! } as never);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'already_registered' });
  });

  it('lets the pending second step lapse after 5 minutes', async () => {
    const { c, key } = await pending();
    t.app.clock.advance(200_000);
    // The challenge is only 101 s old when used: what lapsed is the pending password step.
    const options = await authOptions(c);
    t.app.clock.advance(101_000);
    const res = await c.post('/api/webauthn/authentication/verify', { response: key.assert(options) });
    expect(res.status).toBe(401);
    expect(await status(c)).toBe('anonymous');
  });

  it('refuses to remove a key without a fresh step-up, and allows it right after one', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin);
    await signUpWithKey(c, 'erin', key);
    await registerKey(c, new SoftAuthenticator(t.app.origin));
    const [first] = (await c.get<{ id: string }[]>('/api/webauthn/credentials')).body;
    t.app.clock.advance(301_000);
    const refused = await c.delete(`/api/webauthn/credentials/${first!.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'step_up_required', details: { factors: expect.arrayContaining(['webauthn']) } });
    // Step-up: the verify endpoint again, while signed in.
    expect((await assertWith(c, key)).status).toBe(200);
    expect((await c.delete(`/api/webauthn/credentials/${first!.id}`)).status).toBe(204);
  });

  it('refuses to remove the only second factor while MFA is required (409 last_factor)', async () => {
    const c = t.app.client();
    const { credential } = await signUpWithKey(c, 'gina');
    const res = await c.delete(`/api/webauthn/credentials/${credential.id}`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'last_factor' });
  });

  it('never lets two parallel removals take away the last two keys', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'jane');
    await registerKey(c, new SoftAuthenticator(t.app.origin));
    const keys = (await c.get<{ id: string }[]>('/api/webauthn/credentials')).body;
    const results = await Promise.all(keys.map((k) => c.clone().delete(`/api/webauthn/credentials/${k.id}`)));
    // At most one removal goes through (both may be refused when they interleave exactly).
    expect(results.filter((r) => r.status === 204).length).toBeLessThanOrEqual(1);
    expect(results.every((r) => r.status === 204 || r.status === 409)).toBe(true);
    const left = (await c.get<unknown[]>('/api/webauthn/credentials')).body;
    expect(left.length).toBe(2 - results.filter((r) => r.status === 204).length);
  });

  it('keeps a person at the second step out of key management', async () => {
    const { c } = await pending();
    expect((await c.post('/api/webauthn/registration/options', {})).status).toBe(403);
    expect((await c.get('/api/webauthn/credentials')).status).toBe(403);
  });

  it('keeps a person without a second factor to enrollment only', async () => {
    const c = t.app.client();
    await c.post('/api/accounts', { username: 'hank', password: PASSWORD });
    expect((await c.get('/api/webauthn/credentials')).body).toMatchObject({ error: 'mfa_required' });
    expect((await c.post('/api/webauthn/registration/options', {})).status).toBe(200);
  });

  it('says when the server does not know a credential, so the browser can forget it', async () => {
    const c = t.app.client();
    const stranger = new SoftAuthenticator(t.app.origin);
    stranger.register({ rp: { id: 'localhost', name: 'x' }, user: { id: 'dQ', name: 'x', displayName: 'x' }, challenge: 'AAAAAAAAAAAAAAAAAAAAAA', pubKeyCredParams: [] } as never);
    const res = await assertWith(c, stranger);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'webauthn_verification_failed', details: { unknownCredential: true } });
  });

  it('answers malformed base64url and hostile CBOR with 400, not 500', async () => {
    const c = t.app.client();
    await c.post('/api/accounts', { username: 'ivan', password: PASSWORD });
    const options = await c.post('/api/webauthn/registration/options', {});
    const good = new SoftAuthenticator(t.app.origin).register(options.body as never);
    const cases = [
      { ...good, response: { ...good.response, attestationObject: '!!notbase64' } },
      { ...good, response: { ...good.response, attestationObject: Buffer.from([0xa1, 0x63, 0x66, 0x6d]).toString('base64url') } },
      { ...good, response: { ...good.response, attestationObject: Buffer.from([0xbf, 0xff, 0xff]).toString('base64url') } },
      { ...good, response: { ...good.response, clientDataJSON: Buffer.from('{not json').toString('base64url') } },
      { ...good, type: 'private-key' },
    ];
    for (const response of cases) {
      const res = await c.post('/api/webauthn/registration/verify', { response });
      expect(res.status, JSON.stringify(response).slice(0, 120)).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
    const pendingClient = (await pending()).c;
    const opts = await authOptions(pendingClient);
    const bad = await pendingClient.post('/api/webauthn/authentication/verify', {
      response: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: Buffer.from(JSON.stringify({ challenge: opts.challenge })).toString('base64url'), authenticatorData: 'AAAA', signature: 'AAAA' } },
    });
    expect(bad.status).toBe(400);
  });
});
